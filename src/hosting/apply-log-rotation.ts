// Rotation of the sites' logs on a web server: each site's access and error logs (Apache opens them
// as root in the hosting's root-owned var/log) and each hosting's PHP error log (PHP opens it at each
// message, as the hosting, in var/log/php, which the hosting owns). A log is rotated once it reaches
// ABRI_LOG_ROTATE_KB, and every day (UTC) it is not empty: name.log → name.log.1 (Apache still writes
// there until the reload), name.log.1 → name.log.2.gz at the next rotation, up to ABRI_LOG_KEEP files.
// One graceful restart of each Apache instance per pass, never a restart; PHP needs none.
//
// The hosting can put anything in var/log/php: nothing here follows a symbolic link. Renames and
// unlinks act on the names themselves; a file is read only through openLog (O_NOFOLLOW, a regular
// file with one link, owned by root or the hosting); a compressed file is created new (O_EXCL,
// O_NOFOLLOW) and handed to the file's owner with fchown on its descriptor.
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { lstat, open, readFile, rename, unlink, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import type { NodeSettings } from '../platform/config.js';
import { isAbsent } from '../platform/absent.js';
import { detailOf, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState } from '../node/protocol.js';
import { apacheInstanceDirs, type NodeLayout } from '../node/layout.js';
import { openLog } from './apply-logs.js';
import { QueryRefusal } from '../node/query.js';
import { gracefulApache } from './apply-apache.js';
import { logFile } from './model-logs.js';

export interface RotationPolicy {
  rotateBytes: number;
  keep: number;
}

const ifThere = (e: unknown) => {
  if (!isAbsent(e)) throw e;
};

/** Compresses `from` (a safe log) into a new `to`, owned as `from` was; then removes `from`. */
async function compress(from: string, to: string, uid: number): Promise<void> {
  const src = await openLog(from, uid);
  if (!src) return;
  const tmp = `${to}.tmp`;
  await unlink(tmp).catch(ifThere); // a leftover of an interrupted pass (or anyone's file of that name: removed, not followed)
  const st = await src.handle.stat();
  let out;
  try {
    out = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o640);
    await out.chown(st.uid, st.gid);
    await out.chmod(st.mode & 0o644);
  } catch (e) {
    await out?.close();
    await src.handle.close();
    throw e;
  }
  // the streams close both descriptors when they end or fail
  await pipeline(createReadStream('', { fd: src.handle }), createGzip(), createWriteStream('', { fd: out, flush: true }));
  await rename(tmp, to);
  await unlink(from);
}

/**
 * Rotates one log if it is due. Returns whether it was renamed (Apache must reopen it). A log that
 * is not a regular file (a symbolic link someone planted) is left alone and reported.
 */
export async function rotateLog(file: string, uid: number, policy: RotationPolicy, daily: boolean): Promise<boolean> {
  const st = await lstat(file).catch((e: unknown) => (ifThere(e), null));
  if (!st) return false;
  if (!st.isFile() || st.nlink !== 1) throw new Error(`${path.basename(file)} is not a regular file: not rotated`);
  if (st.size < policy.rotateBytes && !(daily && st.size > 0)) return false;
  const gz = (k: number) => `${file}.${k}.gz`;
  await unlink(gz(policy.keep)).catch(ifThere);
  for (let k = policy.keep - 1; k >= 2; k--) await rename(gz(k), gz(k + 1)).catch(ifThere);
  if (policy.keep >= 2) {
    await compress(`${file}.1`, gz(2), uid).catch(async (e: unknown) => {
      if (!(e instanceof QueryRefusal)) throw e;
      await unlink(`${file}.1`).catch(ifThere); // not a log we may read (a planted link): dropped, never followed
    });
  } else await unlink(`${file}.1`).catch(ifThere);
  await rename(file, `${file}.1`);
  return true;
}

/** The web server's log rotation, after the web driver in each apply (never during one). */
export class LogRotationDriver implements Driver {
  readonly name = 'logs';
  private lastCheck = 0;
  /** a pass renamed logs and an instance was not restarted: it still writes into the .1 files */
  private reopenPending = false;

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
  ) {}

  handles(state: DesiredState) {
    return !!state.web && this.node.apply;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const { checkSeconds, rotateBytes, keep } = this.node.logs;
    if (Date.now() - this.lastCheck < checkSeconds * 1000) return { objects: [] };
    this.lastCheck = Date.now();
    // nothing is rotated again (a .1 compressed while Apache still writes into it) before Apache reopens its logs
    if (this.reopenPending) {
      const errors = await this.restartApache(state);
      if (errors.length) return { objects: [], error: errors.join('; ') };
      this.reopenPending = false;
    }
    const dayFile = path.join(this.layout.logDir, 'logs-rotated.day');
    const today = new Date().toISOString().slice(0, 10);
    const daily = ((await readFile(dayFile, 'utf8').catch((e: unknown) => (ifThere(e), null))) ?? today) !== today;
    let apache = 0;
    for (const h of state.web?.hostings ?? []) {
      const files = [...h.sites.flatMap((s) => [logFile('access', s.domain), logFile('error', s.domain)]), logFile('php', '')];
      for (const rel of files) {
        try {
          if ((await rotateLog(path.join(h.home, rel), h.uid, { rotateBytes, keep }, daily)) && !rel.startsWith('var/log/php/')) apache++;
        } catch (e) {
          this.log.warn({ hosting: h.name, file: rel, err: e }, `log rotation: ${detailOf(e)}`);
        }
      }
    }
    // Apache writes into the renamed files until it reopens them: one graceful restart per instance
    const errors = apache ? await this.restartApache(state) : [];
    this.reopenPending = errors.length > 0;
    if (apache) this.log.info({ rotated: apache }, 'logs rotated');
    await mkdir(this.layout.logDir, { recursive: true });
    if (daily || !(await lstat(dayFile).catch((e: unknown) => (ifThere(e), null)))) await writeFile(dayFile, today);
    return { objects: [], ...(errors.length ? { error: errors.join('; ') } : {}) };
  }

  /** One graceful restart of each Apache instance: they reopen their logs. Returns what failed. */
  private async restartApache(state: DesiredState): Promise<string[]> {
    const errors: string[] = [];
    for (let k = 0; k < (state.web?.apacheInstances ?? 1); k++) {
      try {
        await gracefulApache({ exec: this.exec, apply: true, log: this.log }, apacheInstanceDirs(this.layout, k));
      } catch (e) {
        errors.push(`log rotation: Apache${k ? ` ${k}` : ''} was not restarted (it writes on into the rotated logs; tried again at the next pass): ${detailOf(e)}`);
      }
    }
    return errors;
  }
}
