// Integration (root, real accounts): the purge of a hosting with SFTP users takes one agent pass. An
// SFTP user is an account sharing the hosting's uid and primary group, so groupdel refuses the
// hosting's group while it exists: the purge runs in a driver after the SFTP, FTP and cron drivers,
// which have already let go of the purged hosting. The control shows why the order matters.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-purge-sftp.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { run } from './harness/run.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { createNodeAgent } from '../src/agent/node.js';
import { LocalManagerLink } from '../src/agent/client.js';
import { ensureAccounts, purgeAccounts } from '../src/hosting/apply-accounts.js';
import { HomeStorage } from '../src/hosting/apply-storage.js';
import type { WebHostingSpec } from '../src/hosting/spec.js';
import { deleteSftpAccount, ensureSftpAccounts, NOLOGIN, type SftpRecord } from '../src/files/apply-sftp-accounts.js';

const exec = new LocalExecutor();
const log = pino({ level: 'silent' });
const inPasswd = async (name: string) => (await run('getent', ['passwd', name], { allowFailure: true })).code === 0;
const inGroup = async (name: string) => (await run('getent', ['group', name], { allowFailure: true })).code === 0;

describe('the purge of a hosting with SFTP users', { skip: process.getuid?.() !== 0 }, () => {
  let root: string;
  let storage: HomeStorage;
  const made: string[] = [];

  /** A hosting's account and home (the web driver's code) and one SFTP user of it (the SFTP driver's code). */
  async function hostingWithSftpUser(uid: number) {
    const name = `ap${uid}`;
    const home = path.join(root, 'homes', name);
    const recordsDir = path.join(root, 'records');
    made.push(name, `${name}-web`);
    const problems = await ensureAccounts(exec, [{ id: `hosting-${uid}`, name, uid, gid: uid, home, sites: [] } as unknown as WebHostingSpec], { webUser: 'www-data', recordsDir, storage });
    assert.equal(problems.size, 0, JSON.stringify([...problems]));
    const records = new Map<string, SftpRecord>();
    const sftp = await ensureSftpAccounts(exec, [{ name: `${name}-web`, uid, shadow: '*', shell: NOLOGIN }], records, async () => undefined);
    assert.equal(sftp.size, 0, JSON.stringify([...sftp]));
    assert.ok((await inPasswd(name)) && (await inPasswd(`${name}-web`)) && (await inGroup(name)));
    return { purge: { id: `hosting-${uid}`, name, uid, home }, recordsDir, records, sftpUser: `${name}-web` };
  }

  before(async () => {
    root = await mkdtemp('/srv/abri-polish-purge-');
    await chmod(root, 0o755);
    await mkdir(path.join(root, 'homes'), { mode: 0o755 });
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: path.join(root, 'node') });
    storage = new HomeStorage(exec, config.node.disk, log);
  });

  after(async () => {
    for (const name of made) if (await inPasswd(name)) await run('userdel', ['-f', name], { allowFailure: true });
    for (const name of made) if (await inGroup(name)) await run('groupdel', [name], { allowFailure: true });
    if (root) await rm(root, { recursive: true, force: true });
  });

  test("the node agent purges after the drivers of what lives in a hosting", () => {
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_NODE_ROOT: path.join(root, 'render') });
    const agent = createNodeAgent({ config, link: new LocalManagerLink(null as never, 'none'), log, manager: { address: '127.0.0.1', port: 1 } });
    const names = (agent as unknown as { opts: { drivers: Array<{ name: string }> } }).opts.drivers.map((d) => d.name);
    for (const before of ['web', 'sftp', 'ftp', 'cron']) assert.ok(names.indexOf(before) < names.indexOf('purge'), `${before} before purge: ${names.join(', ')}`);
  });

  test('in that order one pass deletes the home, the account and its group', async () => {
    const h = await hostingWithSftpUser(66270);
    await deleteSftpAccount(exec, h.sftpUser, h.records); // the SFTP driver: the user is no longer wanted
    const results = await purgeAccounts(exec, [h.purge], h.recordsDir, storage);
    assert.equal(results.get(h.purge.id), null);
    assert.deepEqual([await inPasswd(h.purge.name), await inGroup(h.purge.name), existsSync(h.purge.home)], [false, false, false]);
  });

  test('control: purging first fails on the group the SFTP user still has as its primary one', async () => {
    const h = await hostingWithSftpUser(66271);
    const results = await purgeAccounts(exec, [h.purge], h.recordsDir, storage);
    assert.match(results.get(h.purge.id) ?? '', /primary group/);
  });
});
