// The embedded database is one process's: a lock file in the data directory says whose.
import { mkdirSync, readFileSync, writeFileSync, unlinkSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { AppError } from '../errors.js';
import { isAbsent } from '../absent.js';

interface LockInfo { pid: number; host: string; command: string; since: string }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch (e) {
    // removed meanwhile, or created but not written yet by its holder (open 'wx', then write)
    if (isAbsent(e) || e instanceof SyntaxError) return null;
    throw e;
  }
}

/** Takes the embedded database lock or throws `database.in_use` naming the holder. Returns the release function. */
export function lockDataDir(dataDir: string, command: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'db.lock');
  const info: LockInfo = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readLock(file)?.pid === process.pid) unlinkSync(file);
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(file);
      if (holder && holder.host === os.hostname() && !alive(holder.pid)) {
        unlinkSync(file); // stale lock of a dead process
        continue;
      }
      const who = holder ? `\`abri ${holder.command}\` (pid ${holder.pid}, since ${holder.since})` : 'another process';
      throw new AppError('database.in_use',
        `the embedded database in ${dataDir} is in use by ${who}; stop it first, or do this through the running manager's API`);
    }
  }
  throw new AppError('database.in_use', `could not lock ${file}`);
}
