// The web database admin on a web server: Debian's Adminer behind Abri's sign-on wrapper, a platform
// application (src/hosting/apply-platform-app.ts): a PHP-FPM master of its own (one pool, as
// ABRI_DBADMIN_USER, which the agent creates) behind an Apache instance of its own on
// ABRI_DBADMIN_LISTEN, where the edge sends /dbadmin/ of the platform's name. The wrapper's config
// (this agent's manager URL and the service key the desired state carries) is 0640 root:<that user>:
// neither a hosting nor the web server's user can read it. Not asked for (no key on the manager, or
// no web role any more): both services stop and their files, sessions included, are removed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet } from '../platform/files.js';
import { detailOf, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState } from '../node/protocol.js';
import type { NodeLayout } from '../node/layout.js';
import { PlatformApp, platformAppService, writeSecret } from '../hosting/apply-platform-app.js';
import { renderDbadminApacheMain, renderDbadminConfig, renderDbadminFpm, type DbadminServiceSpec } from './render-dbadmin.js';

export const ADMINER = '/usr/share/adminer/adminer.php';
const WRAPPER_SOURCE = new URL('./dbadmin/index.php', import.meta.url);

/** Where the database admin lives on a node (under its root) and what runs it. */
export function dbadminNodeSpec(state: DesiredState, node: NodeSettings, layout: NodeLayout): DbadminServiceSpec {
  const p = (...parts: string[]) => path.join(layout.root, ...parts);
  return {
    ...platformAppService('dbadmin', node.dbadmin, node, layout),
    wrapper: p('usr/share/abri/dbadmin/index.php'),
    configFile: p('etc/abri/dbadmin/dbadmin.php'),
    sessionDir: p('var/lib/abri/dbadmin/sessions'),
    tmpDir: p('var/lib/abri/dbadmin/tmp'),
    urlPath: state.dbadmin?.path ?? '/dbadmin/',
  };
}

export class DbadminDriver implements Driver {
  readonly name = 'dbadmin';
  /** what was last applied successfully (null: nothing, or to be checked again) */
  private last: string | null = null;
  private readonly app: PlatformApp;

  constructor(
    exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    /** the manager as this machine reaches it: where the wrapper exchanges tickets */
    private readonly managerUrl: string,
    log: Logger,
  ) {
    this.app = new PlatformApp(exec, node, node.dbadmin, 'the database admin', 'ABRI_DBADMIN', log);
  }

  /** Every server: one that no longer serves it stops it. */
  handles() {
    return true;
  }

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    try {
      if (!state.dbadmin) {
        if (this.last !== '' || opts.repair !== false) await this.remove();
        this.last = '';
        return { objects: [] };
      }
      const spec = dbadminNodeSpec(state, this.node, this.layout);
      const input = JSON.stringify({ spec, key: state.dbadmin.key, manager: this.managerUrl });
      if (opts.repair === false && this.last === input) return { objects: [] };
      this.last = null;
      await this.apply(spec, state.dbadmin.key);
      this.last = input;
      return { objects: [] };
    } catch (e) {
      return { objects: [], error: `the database admin: ${detailOf(e)}` };
    }
  }

  private async apply(s: DbadminServiceSpec, key: string) {
    const apply = this.node.apply;
    if (!s.fpm.binary) throw new Error(`no PHP-FPM for the database admin: ABRI_DBADMIN_PHP (${this.node.dbadmin.php || 'empty'}) is not in ABRI_PHP_FPM`);
    if (apply && !existsSync(ADMINER)) throw new Error(`${ADMINER} is missing: apt install adminer`);
    const ids = apply ? await this.app.ensureUser() : null;
    await this.app.folders(s, [path.dirname(s.sessionDir), path.dirname(s.configFile)], [s.sessionDir, s.tmpDir], ids);
    await applyFileSet(path.dirname(s.wrapper), [{ path: path.basename(s.wrapper), content: await readFile(WRAPPER_SOURCE, 'utf8'), mode: 0o644 }], []);
    await writeSecret(s.configFile, renderDbadminConfig(this.managerUrl, key), ids?.gid ?? null);
    await this.app.applyFpm(s, renderDbadminFpm(s));
    await this.app.applyApache(s, renderDbadminApacheMain(s));
  }

  /** Stops both services and removes their files, the signed-in sessions with them. */
  private async remove() {
    const spec = dbadminNodeSpec({ revision: 0, server: { id: '', name: '', roles: [] } }, this.node, this.layout);
    await this.app.remove(spec, [path.dirname(spec.configFile), path.dirname(spec.sessionDir), path.dirname(spec.wrapper)]);
  }
}
