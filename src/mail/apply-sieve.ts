// The out-of-office replies on a mail server (side effects): each mailbox's reply rendered into a
// Sieve script (render-sieve.ts) under <sieve dir>/<hosting>/ (root's, readable by the hosting's uid
// only), compiled with `sievec` before it takes the place of the previous one. A script that does not
// compile leaves the mailbox's previous one (or none) and is reported on that mailbox alone; the
// scripts of mailboxes that no longer want one are removed.
import { chmod, chown, lstat, mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { detailOf } from '../node/driver.js';
import type { ObjectProblem } from '../node/protocol.js';
import { ifAbsent } from '../platform/absent.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { renderVacationScript, vacationScriptPath, type VacationSpec } from './render-sieve.js';

interface Box { id: string; hosting: string; uid: number; vacation?: VacationSpec | null }

/** The mailboxes, each reply knowing the aliases that forward to its mailbox. */
export function withAliases(spec: { mailboxes: Array<Box & { address: string }>; aliases: Array<{ address: string; destinations: string[] }> }): Box[] {
  return spec.mailboxes.map((b) => (b.vacation ? { ...b, vacation: { ...b.vacation, aliases: spec.aliases.filter((a) => a.destinations.includes(b.address)).map((a) => a.address) } } : b));
}

/** A mailbox whose reply cannot be rendered keeps receiving mail, without the reply (the problem is reported on it). */
export function withRenderableVacation<B extends Box>(b: B, problems: Map<string, ObjectProblem>): B {
  if (!b.vacation) return b;
  try {
    renderVacationScript(b.vacation);
    return b;
  } catch (e) {
    problems.set(b.id, { code: 'render.invalid', params: { what: 'out-of-office reply', value: b.id, reason: detailOf(e) }, message: `out-of-office reply: ${detailOf(e)}` });
    return { ...b, vacation: null };
  }
}

/** A directory of ours: made if missing, refused if something else is in its place; root's, group uid. */
async function ownDir(dir: string, gid: number): Promise<void> {
  const st = await lstatIfExists(dir);
  if (!st) await mkdir(dir, { mode: 0o750 });
  else if (!st.isDirectory() || st.isSymbolicLink()) throw new Error(`${dir} is not a directory`);
  const now = await lstat(dir);
  if (now.uid !== 0 || now.gid !== gid) await chown(dir, 0, gid);
  if ((now.mode & 0o7777) !== 0o750) await chmod(dir, 0o750);
}

export class SieveScripts {
  constructor(private readonly exec: Executor, private readonly sieveDir: string, private readonly dovecotConf: string) {}

  /**
   * Puts every wanted reply in place; returns the mailboxes whose new script was refused (id → why),
   * and, among them, those that have no script at all (the userdb must not name one for them).
   */
  async apply(boxes: Box[]): Promise<{ refused: Map<string, string>; without: Set<string> }> {
    const refused = new Map<string, string>();
    const without = new Set<string>();
    const wanted = new Map<string, Set<string>>();
    for (const b of boxes.filter((x) => x.vacation)) {
      const names = wanted.get(b.hosting) ?? new Set<string>();
      wanted.set(b.hosting, names);
      names.add(`${b.id}.sieve`).add(`${b.id}.svbin`);
      try {
        await ownDir(path.join(this.sieveDir, b.hosting), b.uid);
        await this.put(b, renderVacationScript(b.vacation!));
      } catch (e) {
        refused.set(b.id, e instanceof Error ? e.message : String(e));
        if (!(await lstatIfExists(vacationScriptPath(this.sieveDir, b.hosting, b.id)))) without.add(b.id);
      }
    }
    await this.prune(wanted);
    return { refused, without };
  }

  private async put(b: Box, content: string): Promise<void> {
    const file = vacationScriptPath(this.sieveDir, b.hosting, b.id);
    const binary = file.replace(/\.sieve$/, '.svbin');
    if ((await readIfExists(file)) === content && (await lstatIfExists(binary))?.isFile()) return;
    const [newFile, newBinary] = [file.replace(/\.sieve$/, '.new.sieve'), file.replace(/\.sieve$/, '.new.svbin')];
    try {
      await rm(newFile, { force: true });
      await writeFile(newFile, content, { mode: 0o640, flag: 'wx' });
      const conf = (await lstatIfExists(this.dovecotConf)) ? ['-c', this.dovecotConf] : [];
      const r = await this.exec.run('sievec', [...conf, newFile, newBinary], { allowFailure: true });
      if (r.code !== 0) throw new Error(`sievec refused the out-of-office script: ${(r.stderr || r.stdout).trim().slice(0, 1000)}`);
      for (const f of [newFile, newBinary]) (await chown(f, 0, b.uid), await chmod(f, 0o640));
      await rename(newBinary, binary);
      await rename(newFile, file);
    } finally {
      for (const f of [newFile, newBinary]) await unlink(f).catch(ifAbsent(undefined));
    }
  }

  /** Removes the scripts (and hosting folders) no mailbox wants any more. */
  private async prune(wanted: Map<string, Set<string>>): Promise<void> {
    const hostings = (await readdir(this.sieveDir).catch(ifAbsent([] as string[]))) as string[];
    for (const h of hostings) {
      const keep = wanted.get(h);
      if (!keep) {
        await rm(path.join(this.sieveDir, h), { recursive: true, force: true });
        continue;
      }
      for (const f of await readdir(path.join(this.sieveDir, h))) if (!keep.has(f)) await rm(path.join(this.sieveDir, h, f), { force: true });
    }
  }
}
