// Writes the public works page: the whole site goes into a new directory next to the target, then
// the target — a symbolic link — is swapped to it in one rename(2). A web server serving the target
// sees the old site or the new one, never a mix; a failed export leaves the previous site serving.
// The previous version is kept one more export (a request under way may still read it).
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ifAbsent } from '../platform/absent.js';
import type { RenderedFile } from '../platform/render.js';

/** Publishes `files` at `target` (absolute): `<target>` becomes a link to `.<name>.<version>` beside it. */
export async function publishDirectory(target: string, files: RenderedFile[]): Promise<void> {
  const parent = path.dirname(target);
  const name = path.basename(target);
  await mkdir(parent, { recursive: true, mode: 0o755 });
  const version = `.${name}.${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const dir = path.join(parent, version);
  try {
    await mkdir(dir, { mode: 0o755 });
    const dirs = new Set(files.map((f) => path.dirname(f.path)).filter((d) => d !== '.'));
    for (const d of [...dirs].sort()) await mkdir(path.join(dir, d), { recursive: true, mode: 0o755 });
    for (const f of files) await writeFile(path.join(dir, f.path), f.content, { mode: f.mode });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const before = await lstat(target).catch(ifAbsent(null));
  const previous = before?.isSymbolicLink() ? await readlink(target) : null;
  // a real directory (the first export over one made by hand) is moved aside first, once
  if (before && !before.isSymbolicLink()) await rename(target, path.join(parent, `.${name}.manual-${randomBytes(4).toString('hex')}`));
  const link = path.join(parent, `.${name}.link-${randomBytes(4).toString('hex')}`);
  await symlink(version, link);
  await rename(link, target);
  // older versions go; the one just replaced stays until the next export
  for (const entry of await readdir(parent)) {
    if (entry.startsWith(`.${name}.`) && entry !== version && entry !== previous) await rm(path.join(parent, entry), { recursive: true, force: true });
  }
}
