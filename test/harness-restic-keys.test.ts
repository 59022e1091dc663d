// Self-test of test/harness/restic-keys.ts (the backup tests give the repositories the product made
// cheaper keys): a repository restic made itself, its key rewritten, opens with the same password
// through restic (list, read back, `check --read-data`), still refuses another password, and keeps
// its file's owner and mode; a password that is not the key's rewrites nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { CHEAP_KDF, cheapenRepositoryKeys } from './harness/restic-keys.js';

const missing = existsSync('/usr/bin/restic') ? [] : ['/usr/bin/restic'];
if (missing.length && process.env.CI === 'true') test('restic is installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));

describe('restic keys made cheap for tests', { skip: missing.length > 0 }, () => {
  let dir = '';
  const repo = () => path.join(dir, 'repo');
  const restic = (password: string, args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('restic', ['-r', repo(), '--no-cache', '-q', ...args], { env: { ...process.env, RESTIC_PASSWORD: password }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) || 1 : 0, stdout, stderr }));
  });
  const key = async () => {
    const [name] = await readdir(path.join(repo(), 'keys'));
    return { file: path.join(repo(), 'keys', name!), json: JSON.parse(await readFile(path.join(repo(), 'keys', name!), 'utf8')) };
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'abri-sharedsvc-restic-'));
    await writeFile(path.join(dir, 'f.txt'), 'the data\n');
    assert.equal((await restic('right', ['init'])).code, 0);
    assert.equal((await restic('right', ['backup', path.join(dir, 'f.txt')])).code, 0);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('another password rewrites nothing', async () => {
    const before = await key();
    await assert.rejects(cheapenRepositoryKeys(repo(), 'wrong'), /does not open/);
    assert.deepEqual((await key()).json, before.json);
  });

  test('rewritten: the same password opens the repository, with the cheap parameters; another still does not', async () => {
    const before = await key();
    assert.notEqual(before.json.N * before.json.p, CHEAP_KDF.N * CHEAP_KDF.p, 'restic calibrated costlier parameters');
    await chown(before.file, 70300, 70300); // the owner and mode the backup server gave it are kept
    assert.equal(await cheapenRepositoryKeys(repo(), 'right'), 1);
    const after = await key();
    assert.deepEqual([after.json.N, after.json.r, after.json.p, after.json.created], [CHEAP_KDF.N, CHEAP_KDF.r, CHEAP_KDF.p, before.json.created]);
    assert.notEqual(after.json.salt, before.json.salt);
    const st = await stat(after.file);
    assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [70300, 70300, 0o400]);
    assert.equal(await cheapenRepositoryKeys(repo(), 'right'), 0, 'a cheap key is left as it is');
    assert.equal((await restic('right', ['dump', 'latest', path.join(dir, 'f.txt')])).stdout, 'the data\n');
    assert.equal((await restic('right', ['check', '--read-data'])).code, 0);
    const refused = await restic('wrong', ['snapshots']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /wrong password/);
    assert.deepEqual(await readdir(repo()), ['config', 'data', 'index', 'keys', 'locks', 'snapshots'], 'nothing left beside restic\'s own');
  });
});
