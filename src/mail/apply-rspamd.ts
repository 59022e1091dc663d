// Abri's rspamd on a mail server (side effects): its directories under the node's root, the DKIM
// keys (0600, owned by rspamd's user, in a directory only that user reaches), its check (`rspamadm
// configtest`), start, graceful reload (SIGHUP: the main process re-reads the configuration and
// replaces its workers) and stop. It runs as an instance of its own (own config, data, run and log
// directories, own pid file, a milter on a unix socket): the machine's own rspamd is never touched.
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { livePid } from '../platform/pid-file.js';
import { dkimKeyFile, renderRspamd, rspamdVars, type RspamdSpec } from './render-rspamd.js';

/** Debian's rspamd user: its workers run as it. */
export const RSPAMD_USER = '_rspamd';

export function rspamdPaths(root: string): RspamdSpec['paths'] {
  const p = (...parts: string[]) => path.join(root, ...parts);
  return {
    rspamdDir: p('etc/abri/rspamd'), dkimDir: p('etc/abri/rspamd-dkim'), rspamdDbDir: p('var/lib/abri/rspamd'),
    rspamdRunDir: p('run/abri/rspamd'), rspamdLogDir: p('var/log/abri/rspamd'),
  };
}

/** A domain's signing key as the mail server writes it for rspamd (id: the mail domain's, for reports). */
export interface DkimKey { id: string; domain: string; selector: string; pem: string }

export class RspamdService {
  constructor(private readonly exec: Executor, private readonly rspamd: string, private readonly p: RspamdSpec['paths']) {}

  private get conf() {
    return path.join(this.p.rspamdDir, 'rspamd.conf');
  }

  private get pidFile() {
    return path.join(this.p.rspamdRunDir, 'rspamd.pid');
  }

  /** Its own directories: data, logs and keys for rspamd's user only; the milter's socket for Postfix's group. */
  async ensureDirs(): Promise<void> {
    const p = this.p;
    for (const d of [p.rspamdDir, path.dirname(p.rspamdRunDir), path.dirname(p.rspamdDbDir), path.dirname(p.rspamdLogDir), path.dirname(p.dkimDir)]) await ensureDir(d, 0o755);
    await ensureDir(p.rspamdDir, 0o755);
    for (const [dir, mode, owner] of [[p.rspamdDbDir, 0o700, `${RSPAMD_USER}:`], [p.rspamdLogDir, 0o750, `${RSPAMD_USER}:`], [p.dkimDir, 0o700, `${RSPAMD_USER}:`], [p.rspamdRunDir, 0o750, `${RSPAMD_USER}:postfix`]] as const) {
      await ensureDir(dir, mode);
      await this.exec.run('chown', [owner, dir]);
    }
  }

  /** Writes the keys that are new or changed (0600, rspamd's user), atomically; answers whether any was. */
  async writeKeys(keys: DkimKey[]): Promise<boolean> {
    let changed = false;
    for (const k of keys) {
      const file = path.join(this.p.dkimDir, dkimKeyFile(k.domain, k.selector));
      const st = await lstatIfExists(file);
      if (st?.isFile() && (st.mode & 0o777) === 0o600 && (await readIfExists(file)) === k.pem) continue;
      const tmp = `${file}.abri-tmp-${process.pid}`;
      await writeFile(tmp, k.pem, { mode: 0o600 });
      await this.exec.run('chown', [`${RSPAMD_USER}:`, tmp]);
      await rename(tmp, file);
      changed = true;
    }
    return changed;
  }

  /** Removes the keys no longer wanted (after the configuration that used them is gone). */
  async pruneKeys(keys: DkimKey[]): Promise<void> {
    const wanted = new Set(keys.map((k) => dkimKeyFile(k.domain, k.selector)));
    for (const f of await readdir(this.p.dkimDir)) if (!wanted.has(f)) await rm(path.join(this.p.dkimDir, f), { force: true });
  }

  async check(): Promise<void> {
    const r = await this.exec.run(path.join(path.dirname(this.rspamd), 'rspamadm'), [...rspamdVars({ paths: this.p }), 'configtest', '-c', this.conf], { allowFailure: true });
    if (r.code !== 0) throw new Error(`rspamadm configtest refused the configuration: ${`${r.stdout}\n${r.stderr}`.trim().slice(-1500)}`);
  }

  pid(): Promise<number | null> {
    return livePid(this.pidFile, { cmdline: (args) => args.startsWith('rspamd: main process') });
  }

  async start(): Promise<void> {
    if (await this.pid()) return;
    const r = await this.exec.run(this.rspamd, [...rspamdVars({ paths: this.p }), '-c', this.conf, '-u', RSPAMD_USER, '-g', RSPAMD_USER], { daemonizes: true, umask: 0o022, allowFailure: true });
    if (r.code !== 0) throw new Error(`rspamd did not start: ${r.stderr.trim().slice(-1500) || `exit ${r.code}`}`);
  }

  /** Graceful: the main process re-reads its configuration and replaces its workers. */
  async reload(): Promise<void> {
    const pid = await this.pid();
    if (pid) await this.exec.run('kill', ['-HUP', String(pid)]);
  }

  /** Stops rspamd and waits until it is gone (its workers write their data on the way out). */
  async stop(): Promise<void> {
    const pid = await this.pid();
    if (!pid) return;
    await this.exec.run('kill', ['-TERM', String(pid)], { allowFailure: true });
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) await this.exec.run('kill', ['-KILL', String(pid)], { allowFailure: true });
  }

  /** Writes the keys, then the configuration (checked, kept as it was when refused), reloads or starts; old keys go last. */
  async apply(spec: RspamdSpec, keys: DkimKey[]): Promise<string[]> {
    await this.ensureDirs();
    const keysChanged = await this.writeKeys(keys);
    const running = (await this.pid()) !== null;
    const conf = await applyFileSet(this.p.rspamdDir, renderRspamd(spec), ['local.d'], () => this.check(), running ? () => this.reload() : undefined);
    // a key replaced under the same name is read again only by new workers
    if (running && keysChanged && !conf.changed.length) await this.reload();
    await this.start();
    await this.pruneKeys(keys);
    return conf.changed;
  }
}

/** Whether a process exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}
