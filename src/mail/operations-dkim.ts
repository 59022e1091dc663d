// DKIM keys of mail domains: made by the manager (RSA 2048, node:crypto; the private key sealed at
// rest), one per domain when it is added; a rotation retires the signing key (still published for
// DKIM_RETIRED_DAYS, so mail signed just before verifies) and signs with a new one under a new
// selector. Each change stamps the domain (its mail server gives rspamd the new key) and the zones
// holding it (the TXT records); a recurring job removes the retired keys once their delay is over.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { AppContext, RsaKeyPair } from '../platform/context.js';
import { customerScope, systemCaller, type Caller } from '../platform/actor.js';
import { change, decideBeforeChange, type Change } from '../platform/change.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { mailZonesChanged } from '../dns/mail-zones.js';
import { DKIM_RETIRED_MS, nextSelector } from './rules-dkim.js';
import { deleteRetiredDkimKeys, dkimSelectorsOf, insertDkimKey, retireDkimKey } from './store-dkim.js';
import { findMailDomain, mailStamps } from './store-domains.js';
import { domainViews, lockedHosting, mailChanged } from './operations-shared.js';

export const DKIM_CLEANUP_JOB = 'mail.dkim.expire';

/** A new key pair, made before the transaction (it takes a while): the sealed private key and the base64 public key. */
export interface NewDkimKey { privateKey: string; publicKey: string }

export async function newDkimKey(app: Pick<AppContext, 'secrets' | 'rsaKeyPair'>): Promise<NewDkimKey> {
  const { privateKey, publicKey } = await (app.rsaKeyPair ?? generateRsaKeyPair)();
  return { privateKey: app.secrets().seal(privateKey), publicKey: publicKey.toString('base64') };
}

/** A new RSA 2048 key pair (a search for primes: 0.05-0.3 s of CPU, off the event loop). */
export const generateRsaKeyPair = (): Promise<RsaKeyPair> =>
  promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

/** Stores the key as the domain's signing key under the month's first free selector; answers the selector. */
export async function addDkimKey(c: Change, domainId: string, key: NewDkimKey): Promise<string> {
  const selector = nextSelector(c.now, await dkimSelectorsOf(c.db, domainId));
  await insertDkimKey(c.db, { domainId, selector, ...key, now: c.now });
  return selector;
}

/** A new signing key for the domain; the previous one stays published for DKIM_RETIRED_DAYS. */
export async function rotateDkimKey(app: AppContext, caller: Caller, ref: string) {
  // decided first, without locks: a refused request costs no key (~0.1 s of CPU); again in the change
  const visible = await findMailDomain(app.db, ref, customerScope(caller.actor));
  await decideBeforeChange(app, caller, hostingSubject(await findHosting(app.db, visible.hostingId), 'mail_domain'), 'manage');
  const key = await newDkimKey(app);
  return change(app, caller, async (c) => {
    const d = await findMailDomain(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, d.hostingId, 'mail_domain');
    const retired = await retireDkimKey(c.db, d.id, c.now);
    const selector = await addDkimKey(c, d.id, key);
    await c.audit({ action: 'mail_domain.dkim_rotate', targetType: 'mail_domain', targetId: d.id, target: d.name, customerId: hosting.customerId, before: { selector: retired }, after: { selector } });
    await mailChanged(c, d.serverId, `DKIM key of ${d.name} rotated`, mailStamps('mail_domains', [d.id]));
    await mailZonesChanged(c, [d.name], `DKIM key of ${d.name} rotated`);
    return (await domainViews({ db: c.db, config: app.config }, [await findMailDomain(c.db, d.id)]))[0]!;
  });
}

/** The recurring job: retired keys past their delay leave DNS. */
export async function expireDkimKeys(ctx: Pick<JobContext, 'app' | 'now' | 'log'>): Promise<JobOutcome> {
  const removed = await change(ctx.app, systemCaller('mail', 'upkeep'), async (c) => {
    c.staffOnly();
    const names = await deleteRetiredDkimKeys(c.db, new Date(ctx.now.getTime() - DKIM_RETIRED_MS));
    if (!names.length) {
      c.nothingToAudit();
      return names;
    }
    for (const name of names) await c.audit({ action: 'mail_domain.dkim_expire', targetType: 'mail_domain', target: name, after: { removed: 'retired DKIM keys' } });
    await mailZonesChanged(c, names, 'retired DKIM keys removed');
    return names;
  });
  if (removed.length) ctx.log.info({ domains: removed }, 'retired DKIM keys removed from DNS');
}

export function registerMailJobs(registry: JobRegistry): void {
  registry.register({ kind: DKIM_CLEANUP_JOB, retryDelaysMs: [60_000, 600_000], maxAttempts: null, recurring: 'every 1h', run: expireDkimKeys });
}
