// Everything a customer's site runs on, on one machine, as root: the manager with its local agent
// applying for real (edge HAProxy, Apache + PHP-FPM, the SFTP sshd on a loopback port) and a real
// MariaDB (the same local server gets the database role). Then what a customer makes through the
// API: a hosting, a site, an SFTP user with a key, a database with its user. Used by
// test/wordpress.test.ts and the sftp-upload / wordpress-serve benchmarks.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './manager.js';
import { createTestNode, until, type TestNode } from './node.js';
import { freePort } from '../harness/services.js';
import { startMariadb, type TestMariadb } from '../harness/mariadb.js';
import { run, type RunResult } from '../harness/run.js';

export interface SiteStack {
  node: TestNode;
  maria: TestMariadb;
  m: TestManager;
  /** API calls as the customer's owner (not the admin) */
  api: TestManager['api'];
  customerId: string;
  hosting: { id: string; name: string; uid: number; home: string };
  site: { id: string; domain: string; docroot: string };
  sftpUser: { id: string; name: string };
  database: { id: string; name: string; host: string; port: number; user: { id: string; name: string; password: string } };
  sftpPort: number;
  clientDir: string;
  /** `sftp -b` as the hosting's SFTP user with its key (a real client, as the customer runs it) */
  sftp(commands: string[]): Promise<RunResult>;
  close(): Promise<void>;
}

const OPTS = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'];

/** Provisioning of an API object reached `live` (an `error` fails at once with its message). */
export async function live(m: TestManager, objectPath: string): Promise<void> {
  await until(`${objectPath} live`, async () => {
    const p = (await m.api('GET', objectPath)).body?.provisioning;
    if (p?.status === 'error') throw new Error(`${objectPath}: ${p.code}: ${p.message}`);
    return p?.status === 'live';
  }, 180_000);
}

export async function startSiteStack(opts: { uidBase: number; domain: string; sftpTimeoutMs?: number; settings?: Record<string, string> }): Promise<SiteStack> {
  const node = await createTestNode(opts.uidBase, 5, 1, '/srv');
  let maria: TestMariadb | null = null;
  let m: TestManager | null = null;
  const clientDir = path.join(node.root, 'client');
  let hostingId: string | null = null;
  const close = async () => {
    if (m) {
      // the SFTP user first: its chroot holds a bind mount of the hosting's folder, the driver undoes it
      const users = hostingId ? (await m.api('GET', `/api/v1/hostings/${hostingId}/sftp-users`)).body.items : [];
      for (const u of users as Array<{ id: string }>) await m.api('DELETE', `/api/v1/sftp-users/${u.id}`);
      if (users.length) await until('SFTP users removed by the agent', async () => !(await readFile('/proc/self/mountinfo', 'utf8')).includes(node.root), 60_000).catch((e: unknown) => console.error(e));
      await m.close();
    }
    await maria?.stop();
    if (!(await readFile('/proc/self/mountinfo', 'utf8')).includes(node.root)) await node.cleanup();
    else console.error(`left ${node.root} in place: something is still mounted under it`);
  };
  try {
    await mkdir(clientDir, { mode: 0o700 });
    const keyFile = path.join(clientDir, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const sftpPort = await freePort();
    maria = await startMariadb();
    m = await startTestManager({ settings: {
      ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_RECONCILE_SECONDS: '1',
      ABRI_MARIADB_SOCKET: maria.socket, ABRI_DATABASE_PORT: String(maria.port), ABRI_DATABASE_MEASURE_SECONDS: '0',
      ABRI_SFTP_BIND: '127.0.0.1', ABRI_SFTP_PORT: String(sftpPort), ABRI_SSHD: '/usr/sbin/sshd', ...opts.settings,
    } });
    const mm = m;
    // this machine is also the database server
    const local = (await mm.api('GET', '/api/v1/servers')).body.items[0];
    const patched = await mm.api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'database'] });
    if (patched.status !== 200) throw new Error(`database role: ${JSON.stringify(patched.body)}`);

    const seeded = await seedHosting(mm, { customer: 'Les Amis du Vélo', offer: { maxFtpUsers: 2, maxDatabases: 2, diskMb: 2000 } });
    const owner = await mm.user('owner@velo.test');
    const joined = await mm.join(seeded.customer.id, 'owner@velo.test', 'owner');
    if (joined.status !== 201) throw new Error(`owner: ${JSON.stringify(joined.body)}`);
    const api: TestManager['api'] = (method, p, body, o = {}) => mm.api(method, p, body, { token: owner.token, ...o });
    const hosting = (await api('GET', `/api/v1/hostings/${seeded.hosting.id}`)).body;
    hostingId = hosting.id;
    await live(mm, `/api/v1/hostings/${hosting.id}`);

    const siteAnswer = await api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: opts.domain });
    if (siteAnswer.status !== 201) throw new Error(`site: ${JSON.stringify(siteAnswer.body)}`);
    const sftpAnswer = await api('POST', `/api/v1/hostings/${hosting.id}/sftp-users`, { name: 'web', password: false, keys: [await readFile(`${keyFile}.pub`, 'utf8')] });
    if (sftpAnswer.status !== 201) throw new Error(`SFTP user: ${JSON.stringify(sftpAnswer.body)}`);
    const dbAnswer = await api('POST', `/api/v1/hostings/${hosting.id}/databases`, { name: 'wp', user: true });
    if (dbAnswer.status !== 201) throw new Error(`database: ${JSON.stringify(dbAnswer.body)}`);
    const database = dbAnswer.body;
    for (const p of [`/api/v1/sites/${siteAnswer.body.id}`, `/api/v1/sftp-users/${sftpAnswer.body.id}`, `/api/v1/databases/${database.id}`, `/api/v1/database-users/${database.user.id}`]) await live(mm, p);

    const sftp = async (commands: string[]) => {
      const batch = path.join(clientDir, `batch-${Math.random().toString(36).slice(2)}`);
      await writeFile(batch, commands.join('\n') + '\n');
      return run('sftp', [...OPTS, '-i', keyFile, '-P', String(sftpPort), '-b', batch, `${sftpAnswer.body.name}@127.0.0.1`], { allowFailure: true, timeoutMs: opts.sftpTimeoutMs ?? 600_000 });
    };
    return {
      node, maria, m: mm, api, customerId: seeded.customer.id, hosting,
      site: { id: siteAnswer.body.id, domain: opts.domain, docroot: path.join(hosting.home, 'var/www', opts.domain) },
      sftpUser: sftpAnswer.body, database, sftpPort, clientDir, sftp, close,
    };
  } catch (e) {
    await close().catch((err: unknown) => console.error('stopping the stack failed:', err));
    throw e;
  }
}
