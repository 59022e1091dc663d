// A set of rendered files owned by Abri in one directory, applied carefully: unchanged → nothing
// written; changed → previous versions saved, new ones written atomically (temp + rename), then
// validated; on failure the previous files are put back, so the live config is never left invalid.
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ifAbsent, isAbsent } from './absent.js';
import { inParallel } from './parallel.js';
import type { RenderedFile } from './render.js';

/** What an apply of a file set changed (relative paths), as its `validate` is told. */
export interface FileChanges {
  changed: string[];
  removed: string[];
}

export interface FileSetResult extends FileChanges {
  /** what each changed or removed file held before the apply (null: it did not exist) */
  previous: ReadonlyMap<string, Buffer | null>;
}

async function listFiles(dir: string, sub: string): Promise<string[]> {
  const base = path.join(dir, sub);
  const out: string[] = [];
  async function walk(rel: string) {
    let entries;
    try {
      entries = await readdir(path.join(base, rel), { withFileTypes: true });
    } catch (e) {
      if (isAbsent(e)) return; // nothing owned there yet
      throw e;
    }
    for (const e of entries) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) await walk(r);
      else if (!e.name.includes('.abri-tmp')) out.push(path.join(sub, r));
    }
  }
  await walk('');
  return out;
}

async function current(file: string): Promise<{ content: Buffer; mode: number } | null> {
  try {
    const [content, st] = await Promise.all([readFile(file), stat(file)]);
    return { content, mode: st.mode & 0o7777 };
  } catch (e) {
    if (isAbsent(e)) return null;
    throw e;
  }
}

/**
 * mkdir -p whose new directories get `mode` (and `dir` itself too when it existed with another
 * mode), whatever the agent's umask: a root umask of 0077 must not hide sockets or configs from the
 * web server. Only for the agent's own trees (it follows symlinks), never inside a hosting's home.
 */
export async function ensureDir(dir: string, mode = 0o755): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode });
  if (first) {
    for (let d = dir; ; d = path.dirname(d)) {
      await chmod(d, mode);
      if (d === first || d === path.dirname(d)) break;
    }
  } else if (((await stat(dir)).mode & 0o7777) !== mode) await chmod(dir, mode);
}

export async function writeAtomic(file: string, content: string | Buffer, mode: number): Promise<void> {
  const dir = path.dirname(file);
  if (!(await stat(dir).catch(ifAbsent(null)))) await ensureDir(dir);
  const tmp = `${file}.abri-tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, file);
}

const journalDir = (dir: string) => path.join(dir, '.abri-journal');

interface JournalEntry { rel: string; mode: number | null }

/** Saves the previous versions of the files about to change, so a crash mid-apply can be undone. */
async function writeJournal(dir: string, previous: Map<string, { content: Buffer; mode: number } | null>) {
  const j = journalDir(dir);
  await rm(j, { recursive: true, force: true });
  // the directory's missing parents are made 0755 first: a recursive mkdir would make them 0700 like
  // the journal (a fresh node root's etc/ then kept sshd, reading a user's keys as that user, out)
  if (!(await stat(dir).catch(ifAbsent(null)))) await ensureDir(dir);
  await mkdir(j, { mode: 0o700 });
  const list = [...previous];
  const entries: JournalEntry[] = list.map(([rel, prev]) => ({ rel, mode: prev ? prev.mode : null }));
  await inParallel(list, 16, async ([, prev], i) => void (prev && (await writeFile(path.join(j, String(i)), prev.content))));
  await writeAtomic(path.join(j, 'manifest.json'), JSON.stringify(entries), 0o600);
}

/** Puts back the files of an apply that did not finish (agent killed, validation failed). */
export async function rollbackJournal(dir: string): Promise<boolean> {
  const j = journalDir(dir);
  let entries: JournalEntry[];
  try {
    entries = JSON.parse(await readFile(path.join(j, 'manifest.json'), 'utf8')) as JournalEntry[];
  } catch (e) {
    // no manifest: no apply was interrupted, or one was before it changed any file (the manifest is
    // written last); a manifest that cannot be read is reported, never taken for "nothing to undo"
    if (!isAbsent(e)) throw new Error(`cannot read the journal of an interrupted apply in ${j}: ${(e as Error).message}`, { cause: e });
    await rm(j, { recursive: true, force: true });
    return false;
  }
  for (const [i, e] of entries.entries()) {
    if (e.mode === null) await rm(path.join(dir, e.rel), { force: true });
    else await writeAtomic(path.join(dir, e.rel), await readFile(path.join(j, String(i))), e.mode);
  }
  await rm(j, { recursive: true, force: true });
  return true;
}

/**
 * Makes `dir` hold `files`; files under the `owned` subdirectories that are not in `files` are removed.
 * `validate` runs after writing, told which files changed; if it throws, every change is undone and the error rethrown.
 * `activate` (reload the running service) runs after a successful validation, before the journal is
 * dropped: if the agent dies before the service has loaded the new files, the next apply puts the
 * previous files back, sees the change again and reloads (else files written but never loaded would
 * look unchanged forever). If it throws, the change is undone too.
 */
export async function applyFileSet(dir: string, files: RenderedFile[], owned: string[], validate?: (changes: FileChanges) => Promise<void>, activate?: () => Promise<void>): Promise<FileSetResult> {
  await rollbackJournal(dir); // an earlier apply was interrupted: start from the last good files
  const wanted = new Map(files.map((f) => [path.normalize(f.path), f]));
  const existing = new Set((await Promise.all(owned.map((o) => listFiles(dir, o)))).flat());
  const previous = new Map<string, { content: Buffer; mode: number } | null>();
  const changed: string[] = [];
  // what is on disk, read a few dozen files at a time (10,000 vhosts are compared on every apply)
  const entries = [...wanted];
  const onDisk: Array<{ content: Buffer; mode: number } | null> = [];
  await inParallel(entries, 64, async ([rel], i) => void (onDisk[i] = await current(path.join(dir, rel))));
  entries.forEach(([rel, f], i) => {
    const cur = onDisk[i];
    if (cur && cur.mode === f.mode && cur.content.equals(Buffer.from(f.content))) return;
    previous.set(rel, cur);
    changed.push(rel);
  });
  const removed = [...existing].filter((rel) => !wanted.has(rel));
  for (const rel of removed) previous.set(rel, await current(path.join(dir, rel)));
  const result = { changed, removed, previous: new Map([...previous].map(([rel, f]) => [rel, f?.content ?? null])) };
  if (!changed.length && !removed.length) return result;
  await writeJournal(dir, previous);
  try {
    // a few at a time: an import writes hundreds of vhosts and pools per apply
    await inParallel(changed, 16, async (rel) => {
      const f = wanted.get(rel)!;
      await writeAtomic(path.join(dir, rel), f.content, f.mode);
    });
    await inParallel(removed, 16, (rel) => rm(path.join(dir, rel), { force: true }));
    if (validate) await validate({ changed, removed });
    if (activate) await activate();
  } catch (e) {
    await rollbackJournal(dir);
    throw e;
  }
  await rm(journalDir(dir), { recursive: true, force: true });
  return result;
}
