// Reading the end of a log (src/hosting/apply-logs.ts): the last lines across chunk boundaries, the
// filter, the bound on what is read, UTF-8 split between chunks, control characters, and what is
// refused (a symbolic link, a second hard link, another owner's file).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chown, link, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MAX_SCAN_BYTES, openLog, showLine, tailLines } from '../src/hosting/apply-logs.js';
import { QueryRefusal } from '../src/node/query.js';

describe('the tail of a log', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'abri-logs-tail-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const tail = async (name: string, content: string | Buffer, want: number, q: string | null = null) => {
    const file = path.join(dir, name);
    await writeFile(file, content);
    const log = (await openLog(file, process.getuid!()))!;
    try {
      return await tailLines(log, want, q);
    } finally {
      await log.handle.close();
    }
  };

  test('the last lines, oldest first, across chunks, with or without a final newline', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} é ${'x'.repeat(i % 97)}`);
    const r = await tail('many.log', lines.join('\n') + '\n', 5);
    assert.deepEqual(r, { lines: lines.slice(-5), complete: false });
    assert.deepEqual((await tail('many.log', lines.join('\n'), 3)).lines, lines.slice(-3));
    const all = await tail('many.log', lines.join('\n') + '\n', 100_000);
    assert.equal(all.complete, true);
    assert.deepEqual(all.lines, lines);
    const filtered = await tail('many.log', lines.join('\n') + '\n', 1000, 'LINE 1999');
    assert.deepEqual(filtered.lines, lines.filter((l) => l.includes('line 1999')));
    assert.equal(filtered.complete, true);
  });

  test('an empty file, a file without any newline, multibyte characters over a chunk boundary', async () => {
    assert.deepEqual(await tail('empty.log', '', 10), { lines: [], complete: true });
    assert.deepEqual((await tail('one.log', 'only one', 10)).lines, ['only one']);
    const wide = '€'.repeat(200_000); // 600,000 bytes: cut by chunks in the middle of characters
    assert.deepEqual((await tail('wide.log', `a\n${wide}\nb\n`, 10)).lines, ['a', showLine(wide), 'b']);
  });

  test('at most the last MAX_SCAN_BYTES are searched; the cut line is left out', async () => {
    const line = 'y'.repeat(1023);
    const count = Math.ceil(MAX_SCAN_BYTES / 1024) + 100;
    const r = await tail('big.log', Buffer.from(`needle first\n${`${line}\n`.repeat(count)}`), 1_000_000);
    assert.equal(r.complete, false);
    assert.ok(r.lines.length <= MAX_SCAN_BYTES / 1024 && r.lines.length >= MAX_SCAN_BYTES / 1024 - 1, String(r.lines.length));
    assert.ok(r.lines.every((l) => l === showLine(line)));
    assert.deepEqual((await tail('big.log', Buffer.from(`needle first\n${`${line}\n`.repeat(count)}`), 10, 'needle')).lines, []);
  });

  test('control characters are shown as text; long lines are cut', () => {
    assert.equal(showLine('a\u001b[2Jb\u0007c\td\r'), 'a\\x1b[2Jb\\x07c\td\\x0d');
    assert.equal(showLine('z'.repeat(5000)), `${'z'.repeat(2000)}…`);
  });

  test('a symbolic link, a second hard link and another owner\'s file are refused', async () => {
    const target = path.join(dir, 'target.log');
    await writeFile(target, 'secret\n');
    await symlink(target, path.join(dir, 'link.log'));
    const refusal = async (file: string, uid: number) => {
      const e = await openLog(file, uid).then(() => null, (x: unknown) => x);
      assert.ok(e instanceof QueryRefusal, String(e));
      assert.equal(e.code, 'site.log_unsafe');
      return e.params.detail;
    };
    assert.equal(await refusal(path.join(dir, 'link.log'), process.getuid!()), 'it is a symbolic link');
    await link(target, path.join(dir, 'hard.log'));
    assert.equal(await refusal(path.join(dir, 'hard.log'), process.getuid!()), 'it has other hard links');
    await rm(path.join(dir, 'hard.log'));
    if (process.getuid!() === 0) {
      await chown(target, 66_099, 66_099);
      assert.equal(await refusal(target, 66_098), 'it belongs to uid 66099');
      assert.ok(await openLog(target, 66_099).then((l) => l?.handle.close().then(() => true)));
    }
    assert.equal(await openLog(path.join(dir, 'absent.log'), 0), null);
    // a directory on the way that is a link: the file is reached through it
    await symlink(dir, path.join(dir, 'via'));
    assert.equal(await refusal(path.join(dir, 'via', 'target.log'), process.getuid!() === 0 ? 66_099 : process.getuid!()), 'it is reached through a symbolic link');
  });
});
