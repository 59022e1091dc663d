// The platform's one ACME account per directory (its key sealed in the database), and the acme-client
// configured for it: a test CA's root trusted when ABRI_ACME_CA_FILE says so, quick polling.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import acme from 'acme-client';
import type { Db } from '../platform/db/database.js';
import type { AcmeSettings } from '../platform/config.js';
import type { SecretBox } from '../platform/secret-box.js';
import { findAcmeAccount, insertAcmeAccount, setAcmeAccountUrl } from './store-acme.js';

let trusted: string | null = null;

/** acme-client talks through its own axios instance: trust the configured CA there (only there). */
function trustCa(caFile: string | null) {
  if (!caFile || trusted === caFile) return;
  acme.axios.defaults.httpsAgent = new https.Agent({ ca: readFileSync(caFile, 'utf8'), keepAlive: true });
  trusted = caFile;
}

export async function accountKey(db: Db, box: SecretBox, settings: AcmeSettings): Promise<{ key: string; url: string | null }> {
  const directory = settings.directory!;
  const row = await findAcmeAccount(db, directory);
  if (row) return { key: box.open(row.keySealed), url: row.accountUrl };
  const key = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
  await insertAcmeAccount(db, directory, settings.email, box.seal(key));
  // another manager process may have won the race: use the stored key
  const stored = (await findAcmeAccount(db, directory))!;
  return { key: box.open(stored.keySealed), url: stored.accountUrl };
}

/** An ACME client with the platform's account (created at the CA on first use). */
export async function acmeClient(db: Db, box: SecretBox, settings: AcmeSettings): Promise<acme.Client> {
  trustCa(settings.caFile);
  const { key, url } = await accountKey(db, box, settings);
  const client = new acme.Client({ directoryUrl: settings.directory!, accountKey: key, ...(url ? { accountUrl: url } : {}), backoffAttempts: 12, backoffMin: 500, backoffMax: 10_000 });
  if (!url) {
    try {
      await client.createAccount({ termsOfServiceAgreed: true, ...(settings.email ? { contact: [`mailto:${settings.email}`] } : {}) });
    } catch (e) {
      // another manager process created it with the same key meanwhile: fetch it instead (or report the first error)
      await client.createAccount({ onlyReturnExisting: true }).catch((again: unknown) => {
        throw new Error(`ACME account: ${(e as Error).message}; and no existing account: ${(again as Error).message}`, { cause: e });
      });
    }
    await setAcmeAccountUrl(db, settings.directory!, client.getAccountUrl());
  }
  return client;
}

export { acme };
