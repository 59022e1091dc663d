// The world of test/agent-backups.test.ts: a manager with a web server and a backup server, two
// customers' hostings (Alpha keeps 2 daily backups, 0 weekly), and both servers' agents in this
// process: the backup server's (its driver: accounts, chroots, Abri's sshd on a loopback port of the
// backups helper's range) started first, then the web server's (the hostings' accounts and homes, and
// the backup driver on a ManualClock).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, alphaAndBravo, type Answer, type TestManager } from './manager.js';
import { until, TEST_RECONCILE_MS } from './node.js';
import { run } from '../harness/run.js';
import { AccountsDriver } from './accounts-driver.js';
import { loadConfig } from '../../src/platform/config.js';
import { ManualClock } from '../../src/platform/clock.js';
import { LocalExecutor } from '../../src/platform/executor.js';
import { readIfExists } from '../../src/platform/if-exists.js';
import { Agent } from '../../src/agent/loop.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import type { DesiredBackup } from '../../src/node/protocol-backups.js';
import { HomeStorage } from '../../src/hosting/apply-storage.js';
import { CountedBackups, cheapKeysThen } from './counted-backups.js';
import { backupsQuery } from '../../src/backups/apply-list.js';
import { BackupServerDriver, backupServerPaths } from '../../src/backups/apply-repositories.js';
import { HostingRepository } from '../../src/backups/apply-restic.js';
import { backupTreeQuery } from '../../src/backups/apply-tree.js';
import { restoreFromBackup } from '../../src/backups/apply-restore.js';
import { RestoreDriver } from '../../src/snapshots/apply-restores.js';
import { createBtrfsLoop } from '../harness/btrfs.js';

export const PORT = 27311; // the backups helper's range: 27300–27399
export interface Hosting { id: string; name: string; uid: number; home: string }

/** What sets one world apart from another test's running at the same time (uids, port, names), and its homes on btrfs or not. */
export interface WorldOptions {
  port: number;
  prefix: string;
  uidMin: number;
  /** the backup accounts' uids: the hostings' + this (within the test's range too) */
  uidOffset: number;
  /** the homes on a btrfs filesystem of a loop device (snapshots: in-place restores take a safety snapshot); the manager on the world's clock */
  btrfs?: boolean;
}
const DEFAULTS: WorldOptions = { port: PORT, prefix: 'abk', uidMin: 68300, uidOffset: 50 };
type Api = (method: string, p: string, body?: unknown) => Promise<Answer>;

export class BackupWorld {
  m!: TestManager;
  root = '';
  web: Agent | null = null;
  backupAgent: Agent | null = null;
  backups!: CountedBackups;
  repos!: BackupServerDriver;
  readonly clock = new ManualClock('2026-12-01T10:00:00Z');
  readonly exec = new LocalExecutor();
  readonly log = pino({ level: 'silent' });
  a!: Hosting;
  b!: Hosting;
  asA!: Api;
  asB!: Api;
  seeded!: Awaited<ReturnType<typeof alphaAndBravo>>;
  private backupToken = '';
  private readonly cleanups: Array<() => Promise<void>> = [];
  constructor(readonly opts: WorldOptions = DEFAULTS) {}

  webRoot = () => path.join(this.root, 'web');
  backupRoot = () => path.join(this.root, 'backup');
  private nodeConfig = (nodeRoot: string) => loadConfig({}, {
    ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: nodeRoot, ABRI_RECONCILE_SECONDS: '1',
    ABRI_BACKUP_PORT: String(this.opts.port), ABRI_BACKUP_BIND: '127.0.0.1',
  });
  /** The web server's view of a hosting's backups (the last state its agent applied). */
  desired = (h: Hosting): DesiredBackup => this.backups.states.at(-1)!.backups!.hostings.find((x) => x.hosting === h.id)!;
  repoOf = (h: Hosting) => new HostingRepository(this.exec, this.webRoot(), this.desired(h));
  accountOf = (h: Hosting) => `bk-${h.name}`;
  /** The backups of a hosting, newest first, as its owner sees them. */
  backupsOf = async (h: Hosting, as: Api) => (await as('GET', `/api/v1/hostings/${h.id}/backups`)).body.snapshots as Array<{ id: string; shortId: string; time: string }>;
  repoDir = (h: Hosting) => path.join(backupServerPaths(this.backupRoot()).chrootDir, this.accountOf(h), 'repo');
  health = async (h: Hosting) => (await this.m.api('GET', `/api/v1/hostings/${h.id}/backups`)).body.repository;
  startBackupServer = () => {
    this.backupAgent = new Agent({ link: new HttpManagerLink(this.m.url, this.backupToken), mode: 'apply', log: this.log, reconcileMs: TEST_RECONCILE_MS, waitMs: 2000, drivers: [this.repos] }).start();
  };
  /** Moves the clock and makes what is due then. */
  backUpAt = async (iso: string) => {
    this.clock.set(iso);
    await this.backups.runDue();
  };

  async start(): Promise<void> {
    const o = this.opts;
    this.root = await mkdtemp(`/srv/abri-${o.prefix}-test-`); // not under /tmp: sshd wants every component of a chroot root-owned and not world-writable
    await chmod(this.root, 0o755);
    for (const d of ['web', 'backup', 'homes']) await mkdir(path.join(this.root, d), { mode: 0o755 });
    let homes = path.join(this.root, 'homes');
    if (o.btrfs) {
      const fs = await createBtrfsLoop();
      this.cleanups.push(() => fs.cleanup());
      homes = path.join(fs.mountpoint, 'www');
    }
    const m = (this.m = await startTestManager({ ...(o.btrfs ? { clock: this.clock } : {}), settings: {
      ABRI_HOSTING_PREFIX: o.prefix, ABRI_UID_MIN: String(o.uidMin), ABRI_UID_MAX: String(o.uidMin + o.uidOffset - 1), ABRI_BACKUP_UID_OFFSET: String(o.uidOffset), ABRI_HOSTING_ROOT: homes, ABRI_BACKUP_PORT: String(o.port),
    } }));
    const webServer = (await m.api('POST', '/api/v1/servers', { name: 'web-bk', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    const backupServer = (await m.api('POST', '/api/v1/servers', { name: 'backup-1', roles: ['backup'], addresses: ['127.0.0.1'] })).body;
    this.seeded = await alphaAndBravo(m, { a: { backupKeepDaily: 2, backupKeepWeekly: 0 } });
    [this.a, this.b, this.asA, this.asB] = [this.seeded.a.hosting, this.seeded.b.hosting, this.seeded.asA, this.seeded.asB];
    const none = await this.asA('GET', `/api/v1/hostings/${this.a.id}/backups`);
    assert.equal(none.status, 200);
    assert.equal(none.body.repository, null, 'no repository before one is set up');
    const assigned = await m.api('POST', '/api/v1/backups/assign');
    assert.deepEqual(assigned.body, { assigned: 2, waiting: 0 });

    // the backup server first: its sshd serves both accounts before the web server sends anything
    this.repos = new BackupServerDriver(this.exec, this.nodeConfig(this.backupRoot()).node, this.backupRoot(), this.log);
    this.backupToken = backupServer.agentToken;
    this.startBackupServer();
    const paths = backupServerPaths(this.backupRoot());
    await until('the backup sshd', async () => (await readIfExists(paths.pidFile)) !== null && existsSync(path.join(paths.keysDir, this.accountOf(this.b))));
    const config = this.nodeConfig(this.webRoot());
    const storage = new HomeStorage(this.exec, config.node.disk, this.log);
    const link = new HttpManagerLink(m.url, webServer.agentToken);
    this.backups = new CountedBackups(this.exec, this.webRoot(), true, config.node.backups, cheapKeysThen(() => this.backups, this.backupRoot(), (runs) => link.backupRuns(runs)), this.log, this.clock);
    this.web = new Agent({
      link, mode: 'apply', log: this.log, reconcileMs: TEST_RECONCILE_MS, waitMs: 2000,
      queries: { 'hosting-backups': backupsQuery(this.exec, this.webRoot(), this.log), 'backup-tree': backupTreeQuery(this.exec, this.webRoot(), this.log) },
      drivers: [
        new AccountsDriver(path.join(this.webRoot(), 'accounts'), storage), this.backups,
        new RestoreDriver(this.exec, this.webRoot(), true, (r) => link.snapshotRestores(r), this.log, this.clock, (h, b, r, onBtrfs) => restoreFromBackup(this.exec, this.webRoot(), h, b, r, onBtrfs)),
      ],
    }).start();
    await until('the web server applied its backups', async () => this.backups.states.length > 0);
  }

  async close(): Promise<void> {
    const errors: unknown[] = [];
    const steps = [
      async () => {
        this.backups?.stop();
        await this.web?.stop();
        await this.backupAgent?.stop();
        await this.repos?.stopSshd();
      },
      async () => {
        for (const h of [this.a, this.b].filter(Boolean)) {
          for (const name of [h.name, `bk-${h.name}`]) {
            await run('userdel', ['-f', name], { allowFailure: true });
            await run('groupdel', [name], { allowFailure: true });
          }
        }
      },
      () => this.m?.close(),
      async () => {
        if (this.root) await rm(this.root, { recursive: true, force: true });
      },
      ...this.cleanups,
    ];
    for (const step of steps) await Promise.resolve().then(step).catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  }
}
