// The incremental measure of homes that are not btrfs subvolumes (src/hosting/homes-walk.ts), and the
// parsing of btrfs's qgroup table (src/hosting/btrfs.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HomesWalk } from '../src/hosting/homes-walk.js';
import { parseQgroups } from '../src/hosting/btrfs.js';

/** du's figure: allocated blocks of every entry, each inode once. */
async function du(dir: string, seen = new Set<number>()): Promise<number> {
  let total = (await lstat(dir)).blocks * 512;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const s = await lstat(p);
    if (e.isDirectory()) {
      total += await du(p, seen);
      continue;
    }
    if (s.nlink > 1) {
      if (seen.has(s.ino)) continue;
      seen.add(s.ino);
    }
    total += s.blocks * 512;
  }
  return total;
}

test('homes are walked in turn, a bounded number of files per step, and each measured as du would', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'abri-walk-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const homes = ['h1', 'h2', 'h3'].map((n, i) => ({ id: `id-${i}`, home: path.join(root, n) }));
  for (const [i, h] of homes.entries()) {
    await mkdir(path.join(h.home, 'var/www/deep/er'), { recursive: true });
    for (let f = 0; f < 10 * (i + 1); f++) await writeFile(path.join(h.home, 'var/www/deep/er', `f${f}`), 'x'.repeat(5000 * (i + 1)));
  }
  await link(path.join(homes[0]!.home, 'var/www/deep/er/f0'), path.join(homes[0]!.home, 'hardlink')); // counted once
  await symlink('/etc', path.join(homes[0]!.home, 'var/www/etc')); // never followed
  const walk = new HomesWalk();
  const seen = new Map<string, number>();
  let steps = 0;
  while (seen.size < homes.length && steps < 100) {
    for (const m of await walk.step(homes, 7)) seen.set(m.id, m.bytes);
    steps++;
  }
  assert.ok(steps > 3, `7 files per step cannot walk 60 files at once (${steps} steps)`);
  for (const h of homes) assert.equal(seen.get(h.id), await du(h.home), h.home);
  // the next round starts again; a home that is gone is dropped, a new one is walked
  const more = [homes[1]!, { id: 'id-new', home: path.join(root, 'h3') }];
  const round2 = new Map<string, number>();
  for (let i = 0; i < 50 && round2.size < 2; i++) for (const m of await walk.step(more, 1000)) round2.set(m.id, m.bytes);
  assert.deepEqual([...round2.keys()].sort(), ['id-1', 'id-new']);
});

test('a big budget measures every home in one step, once', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'abri-walk-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const homes = ['a', 'b'].map((n) => ({ id: n, home: path.join(root, n) }));
  for (const h of homes) await mkdir(h.home);
  await writeFile(path.join(root, 'a', 'x'), 'y'.repeat(10_000));
  const out = await new HomesWalk().step(homes, 1_000_000);
  assert.deepEqual(out.map((m) => m.id).sort(), ['a', 'b']);
  assert.ok(out.find((m) => m.id === 'a')!.bytes >= 10_000);
});

test('the qgroup table of btrfs-progs is read with or without its Path column', () => {
  const text = [
    'Qgroupid    Referenced    Exclusive  Max referenced  Max exclusive   Path ',
    '--------    ----------    ---------  --------------  -------------   ---- ',
    '0/5              16384        16384            none           none   <toplevel>',
    '0/256          3162112      3162112        10485760           none   www/h100000',
    '0/257                0            0            none           none   <stale>',
    '0/258            16384        16384        20971520           none',
    '1/100            16384        16384            none           none   ',
  ].join('\n');
  assert.deepEqual(parseQgroups(text), [
    { id: 5, referenced: 16384, exclusive: 16384, maxReferenced: null, path: null },
    { id: 256, referenced: 3162112, exclusive: 3162112, maxReferenced: 10485760, path: 'www/h100000' },
    { id: 257, referenced: 0, exclusive: 0, maxReferenced: null, path: null },
    { id: 258, referenced: 16384, exclusive: 16384, maxReferenced: 20971520, path: null },
  ]);
});
