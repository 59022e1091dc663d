// Builds the agent of one machine from its settings: layout, executor, drivers.
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { WorkerExecutor } from '../platform/executor-worker.js';
import { WebDriver } from '../hosting/apply-web.js';
import { LogRotationDriver } from '../hosting/apply-log-rotation.js';
import { siteLogsQuery } from '../hosting/apply-logs.js';
import { PurgeDriver } from '../hosting/apply-purge.js';
import { EdgeDriver } from '../edge/apply-edge.js';
import { DnsDriver } from '../dns/apply-dns.js';
import { DatabaseDriver } from '../databases/apply-mariadb.js';
import { DbadminDriver } from '../databases/apply-dbadmin.js';
import { WebmailDriver } from '../mail/apply-webmail.js';
import { SftpDriver } from '../files/apply-sshd.js';
import { FtpDriver } from '../files/apply-pure-ftpd.js';
import { CronDriver } from '../cron/apply-scheduler.js';
import { MailDriver } from '../mail/apply-mail.js';
import { SnapshotDriver } from '../snapshots/apply-snapshots.js';
import { snapshotsQuery } from '../snapshots/apply-list.js';
import { BackupDriver } from '../backups/apply-backups.js';
import { backupsQuery } from '../backups/apply-list.js';
import { backupTreeQuery } from '../backups/apply-tree.js';
import { systemClock } from '../platform/clock.js';
import { restoreFromBackup } from '../backups/apply-restore.js';
import { BackupServerDriver } from '../backups/apply-repositories.js';
import { RestoreDriver } from '../snapshots/apply-restores.js';
import { StatusDriver } from '../works/apply-status.js';
import { Agent } from './loop.js';
import type { ManagerLink } from './client.js';
import { nodeLayout } from '../node/layout.js';
import { lockNode } from './node-lock.js';
import { pauseFromEnv } from '../node/pause.js';

export interface NodeAgentOptions {
  config: Config;
  link: ManagerLink;
  log: Logger;
  /** where the edge sends /.well-known/acme-challenge/ (the manager) */
  manager: { address: string; port: number };
  /** the manager's URL as this machine reaches it (the database admin exchanges tickets there); default http://<manager address>:<port> */
  managerUrl?: string;
  executor?: Executor;
}

/** Render-only nodes write under ABRI_DATA_DIR/render; applying nodes under ABRI_NODE_ROOT. */
export function nodeRoot(config: Config): string {
  return config.node.apply ? config.node.root : path.join(config.dataDir, 'render');
}

export function createNodeAgent(opts: NodeAgentOptions): Agent {
  const { config, log } = opts;
  // commands go through a small worker process: forking the (large) manager process is slow
  const worker = opts.executor ? null : new WorkerExecutor();
  const exec = opts.executor ?? worker!;
  const layout = nodeLayout(nodeRoot(config));
  const mode = config.node.apply ? 'apply' : 'render-only';
  const hooks = { pause: pauseFromEnv() }; // crash tests only (ABRI_TEST_PAUSE_AT)
  if (mode === 'render-only') {
    log.warn({ renderDir: layout.root },
      'RENDER-ONLY node: configurations are written under this directory and nothing is applied; run with --apply (ABRI_APPLY=1) as root on Debian to serve sites');
  }
  const mail = new MailDriver(exec, config.node, layout, log.child({ driver: 'mail' }), (id) => opts.link.certificate(id));
  const cron = new CronDriver(layout.root, mode === 'apply', opts.link.cronRuns?.bind(opts.link), log.child({ driver: 'cron' }));
  const snapshots = new SnapshotDriver(exec, layout.root, mode === 'apply', log.child({ driver: 'snapshots' }));
  const backups = new BackupDriver(exec, layout.root, mode === 'apply', { ...config.node.backups, mariadb: config.node.mariadb }, opts.link.backupRuns?.bind(opts.link), log.child({ driver: 'backups' }), undefined, opts.link.backupRestores?.bind(opts.link));
  return new Agent({
    link: opts.link,
    mode,
    log,
    reconcileMs: config.node.reconcileSeconds * 1000,
    onStop: () => {
      cron.stop();
      void mail.close();
      snapshots.stop();
      backups.stop();
      worker?.close();
    },
    lock: () => lockNode(layout.root),
    queries: { 'site-logs': siteLogsQuery, 'mail-held': (args, ctx) => mail.heldQuery(args, ctx), 'hosting-snapshots': snapshotsQuery(exec, layout.root), 'hosting-backups': backupsQuery(exec, layout.root, log.child({ driver: 'backups' })),
      'backup-tree': backupTreeQuery(exec, layout.root, log.child({ driver: 'backups' })),
    },
    drivers: [
      new WebDriver(exec, config.node, layout, log.child({ driver: 'web' }), hooks),
      new DbadminDriver(exec, config.node, layout, opts.managerUrl ?? `http://${opts.manager.address.includes(':') ? `[${opts.manager.address}]` : opts.manager.address}:${opts.manager.port}`, log.child({ driver: 'dbadmin' })),
      new WebmailDriver(exec, config.node, layout, log.child({ driver: 'webmail' })),
      new LogRotationDriver(exec, config.node, layout, log.child({ driver: 'logs' })), // between applies of the web driver, never during one
      new SftpDriver(exec, config.node, layout, log.child({ driver: 'sftp' })), // after the web driver: it needs the hostings' accounts and homes
      new FtpDriver(exec, config.node, layout, log.child({ driver: 'ftp' }), (id) => opts.link.certificate(id)), // likewise
      cron, // after the web driver too: tasks run in the hostings' homes
      snapshots, // likewise: it snapshots the homes the web driver made, into their root-owned backups/
      backups, // likewise: it backs the homes up to the backup servers (in the background)
      new RestoreDriver(exec, layout.root, mode === 'apply', opts.link.snapshotRestores?.bind(opts.link), log.child({ driver: 'restores' }), systemClock,
        (h, b, r, onBtrfs) => restoreFromBackup(exec, layout.root, h, b, r, onBtrfs)), // from those snapshots and from the backups, as the hostings
      new PurgeDriver(exec, config.node, layout, log.child({ driver: 'purge' })), // after those: they have let go of the purged hostings (their SFTP accounts share the hosting's group)
      new EdgeDriver(exec, config.node, layout, opts.manager, log.child({ driver: 'edge' }), (id) => opts.link.certificate(id), hooks),
      new DnsDriver(exec, config.node, layout, log.child({ driver: 'dns' })),
      new DatabaseDriver(config.node, layout, log.child({ driver: 'database' })),
      new BackupServerDriver(exec, config.node, layout.root, log.child({ driver: 'backup-server' })),
      mail,
      new StatusDriver(config.node, layout, log.child({ driver: 'status' }), async () => {
        if (!opts.link.worksPage) throw new Error('this link to the manager cannot fetch the works page');
        return opts.link.worksPage();
      }, exec),
    ],
  });
}
