// The webmail on a web server: Debian's Roundcube as a platform application
// (src/hosting/apply-platform-app.ts): its own PHP-FPM master (one pool, as ABRI_WEBMAIL_USER, which
// the agent creates) behind its own Apache instance on ABRI_WEBMAIL_LISTEN, where the edge sends the
// webmail's name. Roundcube's config (with the des_key made once per server and kept) is 0640
// root:<that user>; its SQLite database, temporary files and logs are that user's alone (0700).
// Not asked for any more: both services stop and their configs go; the database and the key stay
// (address books and identities come back with the webmail).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { ifAbsent } from '../platform/absent.js';
import { detailOf, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState } from '../node/protocol.js';
import type { NodeLayout } from '../node/layout.js';
import { PlatformApp, platformAppService, writeSecret } from '../hosting/apply-platform-app.js';
import {
  partitionWebmailDomains, renderWebmailApacheMain, renderWebmailConfig, renderWebmailDefaults, renderWebmailFpm, renderWebmailPrepend, ROUNDCUBE,
  type WebmailServers, type WebmailServiceSpec,
} from './render-webmail.js';

const PLUGIN_SOURCE = new URL('./webmail/abri_webmail/abri_webmail.php', import.meta.url);
const SCHEMA = '/usr/share/roundcube/SQL/sqlite.initial.sql';

/** Where the webmail lives on a node (under its root) and what runs it. */
export function webmailNodeSpec(node: NodeSettings, layout: NodeLayout): WebmailServiceSpec {
  const p = (...parts: string[]) => path.join(layout.root, ...parts);
  return {
    ...platformAppService('webmail', node.webmail, node, layout),
    configDir: p('etc/abri/webmail'),
    pluginsDir: p('usr/share/abri/webmail/plugins'),
    prependFile: p('usr/share/abri/webmail/prepend.php'),
    dbDir: p('var/lib/abri/webmail/db'),
    tmpDir: p('var/lib/abri/webmail/tmp'),
    logDir: p('var/lib/abri/webmail/logs'),
  };
}

/** The key Roundcube encrypts the IMAP password in its session with: made once per server, root's alone. */
export const desKeyFile = (layout: NodeLayout) => path.join(layout.root, 'var/lib/abri/webmail/des_key');

export class WebmailDriver implements Driver {
  readonly name = 'webmail';
  private last: string | null = null;
  private readonly app: PlatformApp;

  constructor(private readonly exec: Executor, private readonly node: NodeSettings, private readonly layout: NodeLayout, private readonly log: Logger) {
    this.app = new PlatformApp(exec, node, node.webmail, 'the webmail', 'ABRI_WEBMAIL', log);
  }

  /** Every server: one that no longer serves it stops it. */
  handles() {
    return true;
  }

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    const spec = webmailNodeSpec(this.node, this.layout);
    try {
      if (!state.webmail) {
        if (this.last !== '' || opts.repair !== false) await this.app.remove(spec, [spec.configDir, path.dirname(spec.pluginsDir)]);
        this.last = '';
        return { objects: [] };
      }
      const { kept, leftOut } = partitionWebmailDomains(state.webmail);
      const input = JSON.stringify({ spec, kept });
      const skipped = [...leftOut].map(([name, p]) => `${name} (${p.message})`);
      if (skipped.length) this.log.warn({ skipped }, 'webmail: mail domains left out');
      const error = skipped.length ? `the webmail left out mail domains it cannot write: ${skipped.join(', ')}` : undefined;
      if (opts.repair === false && this.last === input) return { objects: [], ...(error ? { error } : {}) };
      this.last = null;
      await this.apply(spec, kept);
      this.last = input;
      return { objects: [], ...(error ? { error } : {}) };
    } catch (e) {
      return { objects: [], error: `the webmail: ${detailOf(e)}` };
    }
  }

  private async apply(s: WebmailServiceSpec, servers: WebmailServers) {
    const apply = this.node.apply;
    if (apply && !existsSync(path.join(ROUNDCUBE.publicDir, 'index.php'))) throw new Error(`${ROUNDCUBE.publicDir}/index.php is missing: apt install roundcube-core roundcube-sqlite3`);
    const ids = apply ? await this.app.ensureUser() : null;
    await this.app.folders(s, [path.dirname(s.dbDir)], [s.dbDir, s.tmpDir, s.logDir], ids);
    const desKey = await this.desKey();
    await applyFileSet(path.dirname(s.pluginsDir), [
      { path: path.basename(s.prependFile), content: renderWebmailPrepend(s), mode: 0o644 },
      { path: 'plugins/abri_webmail/abri_webmail.php', content: await readFile(PLUGIN_SOURCE, 'utf8'), mode: 0o644 },
    ], []);
    for (const name of ROUNDCUBE.required) await linkTo(path.join(s.pluginsDir, name), path.join(ROUNDCUBE.plugins, name));
    await writeSecret(path.join(s.configDir, 'defaults.inc.php'), renderWebmailDefaults(), ids?.gid ?? null);
    await writeSecret(path.join(s.configDir, 'config.inc.php'), renderWebmailConfig(s, servers, desKey), ids?.gid ?? null);
    if (ids) await this.database(s, ids);
    await this.app.applyFpm(s, renderWebmailFpm(s));
    await this.app.applyApache(s, renderWebmailApacheMain(s));
  }

  private async desKey(): Promise<string> {
    const file = desKeyFile(this.layout);
    const known = (await readIfExists(file))?.trim();
    if (known && /^[A-Za-z0-9+/=]{24}$/.test(known)) return known;
    const key = randomBytes(18).toString('base64'); // 24 characters
    await writeSecret(file, `${key}\n`, null);
    this.log.info('webmail: des_key made for this server');
    return key;
  }

  /** Roundcube's SQLite database, made once from Debian's schema (a new file swapped in whole), the pool user's alone. */
  private async database(s: WebmailServiceSpec, ids: { uid: number; gid: number }) {
    const db = path.join(s.dbDir, 'roundcube.db');
    if (existsSync(db)) return;
    const tmp = `${db}.new`;
    await rm(tmp, { force: true });
    await this.exec.run('sqlite3', ['-bail', tmp], { input: await readFile(SCHEMA, 'utf8') });
    await chown(tmp, ids.uid, ids.gid);
    await chmod(tmp, 0o600);
    await rename(tmp, db);
    this.log.info('webmail: database created');
  }
}

/** `link` points at `target` (made, or replaced when it pointed elsewhere). */
async function linkTo(link: string, target: string) {
  if ((await readlink(link).catch(ifAbsent(null))) === target) return;
  await rm(link, { force: true });
  await symlink(target, link);
}
