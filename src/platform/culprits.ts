// When a service refuses a whole new configuration (`apache2 -t`, `php-fpm -t`, `haproxy -c`), whose
// object is it? The parts that changed are tried on top of the parts that did not (which the
// service accepted last time), half by half, down to the single parts it refuses: those are left
// out and reported on their own objects, and everybody else's changes go live. When the unchanged
// parts alone are refused (something around an unchanged object changed: a directory it names was
// removed), every part is tried the same way on top of the node's own configuration alone. A
// refusal that no single part explains (the node's own settings, or parts that only fail together)
// stays the node's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RenderedFile } from '../platform/render.js';
import { writeAtomic } from '../platform/files.js';

/** Thrown by a validate step: the service refused the files (as opposed to failing to reload). */
export class RefusedError extends Error {
  constructor(readonly service: string, readonly detail: string) {
    super(detail);
    this.name = 'RefusedError';
  }
}

/** Runs a validation and turns its failure into a RefusedError. */
export async function refusedBy(service: string, validate: () => Promise<unknown>): Promise<void> {
  try {
    await validate();
  } catch (e) {
    throw new RefusedError(service, (e as Error).message.slice(0, 2000));
  }
}

/**
 * The parts (named by their keys: a site, a hosting, a certificate) the service refuses, each with
 * the service's answer for it; null when the node's own configuration alone is refused (no object
 * is to blame). `render(dir, parts)` gives the configuration holding only those parts, rendered for
 * `dir` (paths inside it), so the checks never touch the live configuration; `check(dir)` validates
 * it (throws RefusedError). The answers name `liveDir` in place of the trial directory.
 */
export async function findCulprits<K>(changed: K[], unchanged: K[], liveDir: string,
  render: (dir: string, parts: K[]) => RenderedFile[] | Promise<RenderedFile[]>, check: (dir: string) => Promise<void>): Promise<Map<K, string> | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-check-'));
  const culprits = new Map<K, string>();
  try {
    const attempt = async (parts: K[]): Promise<string | null> => {
      const trial = await mkdtemp(path.join(dir, 'try-'));
      try {
        const files = await render(trial, parts);
        if (!files.length) return null; // nothing to refuse (PHP-FPM renders nothing without a pool)
        for (const f of files) await writeAtomic(path.join(trial, f.path), f.content, f.mode);
        await check(trial);
        return null;
      } catch (e) {
        if (e instanceof RefusedError) return e.detail.split(trial).join(liveDir);
        throw e;
      } finally {
        await rm(trial, { recursive: true, force: true });
      }
    };
    const search = async (base: K[], subset: K[]): Promise<void> => {
      if (!subset.length) return;
      const refused = await attempt([...base, ...subset]);
      if (refused === null) return;
      if (subset.length === 1) return void culprits.set(subset[0]!, refused);
      const mid = subset.length >> 1;
      await search(base, subset.slice(0, mid));
      await search(base, subset.slice(mid));
    };
    if ((await attempt(unchanged)) === null) {
      await search(unchanged, changed);
      return culprits;
    }
    if ((await attempt([])) !== null) return null;
    await search([], [...unchanged, ...changed]);
    return culprits;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
