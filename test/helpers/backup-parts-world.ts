// The world of test/agent-backup-parts.test.ts: one manager with a web server (the hostings' homes),
// a server holding the databases and the mail (a real MariaDB from test/harness/mariadb.ts; Abri's
// own Postfix and Dovecot on loopback ports), and a backup server (Abri's sshd), the three agents in
// this process, each backup driver on the same ManualClock. Ranges of the bkdumps helper: uids
// 69000–69099 (hostings 69000–69049, their backup accounts + 50), ports 28000–28099.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, alphaAndBravo, type TestManager } from './manager.js';
import { until, TEST_RECONCILE_MS } from './node.js';
import { run } from '../harness/run.js';
import { startMariadb, type TestMariadb } from '../harness/mariadb.js';
import { AccountsDriver } from './accounts-driver.js';
import { loadConfig } from '../../src/platform/config.js';
import { ManualClock } from '../../src/platform/clock.js';
import { LocalExecutor, type ExecResult, type RunOptions } from '../../src/platform/executor.js';
import { readIfExists } from '../../src/platform/if-exists.js';
import { Agent } from '../../src/agent/loop.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import { nodeLayout } from '../../src/node/layout.js';
import type { Driver } from '../../src/node/driver.js';
import type { QueryHandler } from '../../src/node/query.js';
import { HomeStorage } from '../../src/hosting/apply-storage.js';
import { DatabaseDriver } from '../../src/databases/apply-mariadb.js';
import { MailDriver } from '../../src/mail/apply-mail.js';
import { CountedBackups, cheapKeysThen } from './counted-backups.js';
import { backupsQuery } from '../../src/backups/apply-list.js';
import { BackupServerDriver, backupServerPaths } from '../../src/backups/apply-repositories.js';
import { HostingRepository, RESTIC } from '../../src/backups/apply-restic.js';
import type { DesiredBackup } from '../../src/node/protocol-backups.js';

export const PORT = 28011;
const MAIL = { smtp: 28020, submission: 28021, smtps: 28022, imap: 28023, imaps: 28024, pop3: 28025, pop3s: 28026, sieve: 28027, replies: 28028 };
export const SMTP_PORT = MAIL.smtp;

const mailSettings = {
  ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_PORTS: Object.entries(MAIL).map(([k, v]) => `${k}=${v}`).join(','), ABRI_MAIL_HOSTNAME: 'mail.abri.test',
  ABRI_MAIL_RELAYHOST: '[127.0.0.1]:28029', ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '',
};

/** The servers' executor: runs as the product's does, and keeps the commands restic refused on a locked repository (a test sees a restore meet the lock). */
class WatchedExecutor extends LocalExecutor {
  readonly metLock: string[][] = [];
  override async run(cmd: string, args: string[], opts: RunOptions = {}): Promise<ExecResult> {
    const r = await super.run(cmd, args, opts);
    if (r.code !== 0 && /repository is already locked/i.test(r.stderr)) this.metLock.push([cmd, ...args]);
    return r;
  }
}

export class BackupPartsWorld {
  m!: TestManager;
  maria!: TestMariadb;
  root = '';
  readonly clock = new ManualClock('2026-12-01T10:00:00Z');
  readonly exec = new WatchedExecutor();
  readonly log = pino({ level: process.env.BKDUMPS_LOG ?? 'silent' });
  agents: Agent[] = [];
  web!: CountedBackups;
  data!: CountedBackups;
  mail!: MailDriver;
  repos!: BackupServerDriver;
  seeded!: Awaited<ReturnType<typeof alphaAndBravo>>;
  servers: Record<'web' | 'data' | 'backup', { id: string; agentToken: string }> = {} as never;

  rootOf = (name: string) => path.join(this.root, name);
  private nodeConfig = (nodeRoot: string) => loadConfig({}, {
    ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: nodeRoot, ABRI_RECONCILE_SECONDS: '1',
    ABRI_BACKUP_PORT: String(PORT), ABRI_BACKUP_BIND: '127.0.0.1', ABRI_MARIADB_SOCKET: this.maria.socket, ABRI_DATABASE_MEASURE_SECONDS: '0', ...mailSettings,
  });

  private agent(server: 'web' | 'data' | 'backup', drivers: Driver[], queries: Record<string, QueryHandler> = {}) {
    const link = new HttpManagerLink(this.m.url, this.servers[server].agentToken);
    const a = new Agent({ link, mode: 'apply', log: this.log, reconcileMs: TEST_RECONCILE_MS, waitMs: 2000, queries, drivers }).start();
    this.agents.push(a);
    return link;
  }

  async start(): Promise<void> {
    this.maria = await startMariadb();
    this.root = await mkdtemp('/srv/abri-bkdumps-'); // sshd wants every component of a chroot root-owned and not world-writable
    await chmod(this.root, 0o755);
    for (const d of ['web', 'data', 'backup', 'homes']) await mkdir(this.rootOf(d), { mode: 0o755 });
    this.m = await startTestManager({ settings: {
      ABRI_HOSTING_PREFIX: 'abp', ABRI_UID_MIN: '69000', ABRI_UID_MAX: '69049', ABRI_BACKUP_UID_OFFSET: '50', ABRI_HOSTING_ROOT: this.rootOf('homes'),
      ABRI_BACKUP_PORT: String(PORT), ABRI_DATABASE_PORT: String(this.maria.port), ...mailSettings,
    }, clock: this.clock });
    const server = async (name: string, roles: string[]) => (await this.m.api('POST', '/api/v1/servers', { name, roles, addresses: ['127.0.0.1'] })).body;
    this.servers.web = await server('web-bp', ['web']);
    this.servers.data = await server('data-bp', ['database', 'mail']);
    this.servers.backup = await server('backup-bp', ['backup']);
    this.seeded = await alphaAndBravo(this.m, { a: { maxDatabases: 4, maxMailboxes: 2, mailMb: 20, backupKeepDaily: 3, backupKeepWeekly: 0 }, b: { maxDatabases: 3 } });

    this.repos = new BackupServerDriver(this.exec, this.nodeConfig(this.rootOf('backup')).node, this.rootOf('backup'), this.log);
    this.agent('backup', [this.repos]);
    const webConfig = this.nodeConfig(this.rootOf('web'));
    const webLink = new HttpManagerLink(this.m.url, this.servers.web.agentToken);
    this.web = new CountedBackups(this.exec, this.rootOf('web'), true, webConfig.node.backups, cheapKeysThen(() => this.web, this.rootOf('backup'), (runs) => webLink.backupRuns(runs)), this.log, this.clock);
    this.agent('web', [new AccountsDriver(path.join(this.rootOf('web'), 'accounts'), new HomeStorage(this.exec, webConfig.node.disk, this.log)), this.web],
      { 'hosting-backups': backupsQuery(this.exec, this.rootOf('web'), this.log) });
    const dataConfig = this.nodeConfig(this.rootOf('data'));
    const dataLink = new HttpManagerLink(this.m.url, this.servers.data.agentToken);
    this.data = new CountedBackups(this.exec, this.rootOf('data'), true, { ...dataConfig.node.backups, mariadb: dataConfig.node.mariadb }, cheapKeysThen(() => this.data, this.rootOf('backup'), (runs) => dataLink.backupRuns(runs)), this.log, this.clock,
      (reports) => dataLink.backupRestores(reports));
    this.mail = new MailDriver(this.exec, dataConfig.node, nodeLayout(this.rootOf('data')), this.log);
    this.agent('data', [new DatabaseDriver(dataConfig.node, nodeLayout(this.rootOf('data')), this.log), this.mail, this.data]);
  }

  /** Sets the repositories up now; the backup server serves them before the others get them. */
  async assign(): Promise<void> {
    const r = await this.m.api('POST', '/api/v1/backups/assign');
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    const paths = backupServerPaths(this.rootOf('backup'));
    await until('the backup sshd', async () => (await readIfExists(paths.pidFile)) !== null && existsSync(path.join(paths.keysDir, `bk-${this.seeded.b.hosting.name}`)));
  }

  /**
   * Another restic holding a hosting's repository exclusively, as a prune of its web server does,
   * from this machine over the backup server's sshd: a `restic key passwd` waiting for the new
   * password on its standard input holds the exclusive lock for as long as it waits (never given
   * one: the key is not changed), until release() (SIGINT: restic removes its lock as it ends).
   */
  async lockRepository(h: DesiredBackup): Promise<{ release: () => Promise<void> }> {
    const locks = path.join(backupServerPaths(this.rootOf('backup')).chrootDir, h.account, 'repo', 'locks');
    await until('no other restic holding the repository', async () => (await readdir(locks)).length === 0); // the lock seen next is this one's
    const globals = await new HostingRepository(this.exec, this.rootOf('locker'), h).globals();
    const child = spawn(RESTIC, [...globals, 'key', 'passwd'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let ended = false;
    const exited = new Promise<void>((done) => child.once('close', () => ((ended = true), done())));
    try {
      await until('the repository locked by restic key passwd', async () => {
        if (ended) throw new Error(`restic key passwd ended before it was released: ${stderr}`);
        return (await readdir(locks)).length > 0;
      });
    } catch (e) {
      child.kill('SIGINT');
      await exited;
      throw e;
    }
    return {
      release: async () => {
        child.kill('SIGINT');
        await exited;
        await until('its lock removed', async () => (await readdir(locks)).length === 0);
      },
    };
  }

  async close(): Promise<void> {
    const errors: unknown[] = [];
    const steps = [
      async () => {
        this.web?.stop();
        this.data?.stop();
        for (const a of this.agents) await a.stop();
        await this.repos?.stopSshd();
      },
      async () => {
        if (this.mail) {
          await this.mail.reconcile({ revision: 0, server: { id: this.servers.data.id, name: 'data-bp', roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } });
          await this.mail.close();
        }
      },
      async () => {
        for (const h of [this.seeded?.a.hosting, this.seeded?.b.hosting].filter(Boolean)) {
          for (const name of [h!.name, `bk-${h!.name}`]) {
            await run('userdel', ['-f', name], { allowFailure: true });
            await run('groupdel', [name], { allowFailure: true });
          }
        }
      },
      () => this.m?.close(),
      () => this.maria?.stop(),
      async () => {
        if (this.root) await rm(this.root, { recursive: true, force: true });
      },
    ];
    for (const step of steps) await Promise.resolve().then(step).catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  }
}
