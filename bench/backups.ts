// backup-incremental: the second backup of a home after 1 % of its files changed, as the web server's
// agent makes it (src/backups/apply-restic.ts: stale locks removed, restic backup, then the offer's
// retention with forget --prune) to a backup server's repository over SFTP
// (Abri's sshd, an account chrooted to it). Floor, in the same run and on the same tree: restic
// alone (`restic backup` to a second account's repository on the same sshd, no check, no unlock, no
// retention). Time and bytes: what the backup added (restic's data_added) and what the repository
// grew by on the backup server (bytes written over SFTP).
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { BackupServerDriver, backupServerPaths } from '../src/backups/apply-repositories.js';
import { HostingRepository } from '../src/backups/apply-restic.js';
import { newRepositorySecrets } from '../src/backups/keys.js';
import { backupArgs } from '../src/backups/rules.js';
import type { DesiredState } from '../src/node/protocol.js';
import type { DesiredBackup } from '../src/node/protocol-backups.js';
import type { Benchmark } from './run.js';

const FILES = 2000;
const FILE_BYTES = 16 * 1024;
const CHANGED = FILES / 100;
const PORT = 27320; // the backups helper's range
const UID = 68390;
const RUNS = 3;

const du = async (exec: LocalExecutor, dir: string) => Number((await exec.run('du', ['-sb', dir])).stdout.split('\t')[0]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number) => Math.round(n * 10) / 10;

export const backupIncremental: Benchmark = {
  name: 'backup-incremental',
  description: `second backup of a home of ${FILES} files (${(FILES * FILE_BYTES) / 2 ** 20} MiB) after 1 % changed, over SFTP to a backup server, vs restic alone`,
  async run(progress) {
    const exec = new LocalExecutor();
    const log = pino({ level: 'silent' });
    const root = await mkdtemp('/srv/abri-bench-backup-'); // sshd wants the chroots' parents root-owned and not world-writable
    await chmod(root, 0o755);
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: path.join(root, 'backup'), ABRI_BACKUP_PORT: String(PORT), ABRI_BACKUP_BIND: '127.0.0.1' });
    const server = new BackupServerDriver(exec, config.node, path.join(root, 'backup'), log);
    const names = ['abkbench1', 'abkbench2'];
    const secrets = names.map((n) => newRepositorySecrets(`bk-${n}`));
    try {
      const state = { backupServer: { accounts: names.map((n, i) => ({ hosting: `h${i}`, account: `bk-${n}`, uid: UID + i, publicKey: secrets[i]!.publicKey })) } } as DesiredState;
      const applied = await server.reconcile(state);
      if (applied.error || applied.objects.some((o) => o.status === 'error')) throw new Error(`backup server: ${applied.error ?? JSON.stringify(applied.objects)}`);
      const home = path.join(root, 'home');
      await mkdir(path.join(home, 'var/www'), { recursive: true });
      progress(`writing ${FILES} files`);
      for (let i = 0; i < FILES; i++) await writeFile(path.join(home, 'var/www', `f${i}.bin`), randomBytes(FILE_BYTES));
      const desired = (i: number): DesiredBackup => ({
        hosting: `h${i}`, name: names[i]!, home, server: { address: '127.0.0.1', port: PORT }, account: `bk-${names[i]}`, password: secrets[i]!.password, privateKey: secrets[i]!.privateKey, keepDaily: 7, keepWeekly: 4, requests: 0, files: true, databases: [], mailboxes: [], partRestores: [], restores: [], check: { requests: 0, subset: '1/10' }, restoreOnly: false,
      });
      const abri = new HostingRepository(exec, path.join(root, 'web'), desired(0));
      const alone = new HostingRepository(exec, path.join(root, 'web'), desired(1));
      const repoOf = (i: number) => path.join(backupServerPaths(path.join(root, 'backup')).chrootDir, `bk-${names[i]}`, 'repo');
      progress('first backups');
      await abri.backup(new Date());
      await alone.restic(['init'], 600_000);
      await alone.restic(backupArgs(home, names[1]!, 'h1', new Date()), 3_600_000);
      const results = { abri: { ms: [] as number[], added: [] as number[], grew: [] as number[] }, restic: { ms: [] as number[], added: [] as number[], grew: [] as number[] } };
      for (let run = 0; run < RUNS; run++) {
        for (let i = 0; i < CHANGED; i++) await writeFile(path.join(home, 'var/www', `f${(run * CHANGED + i) % FILES}.bin`), randomBytes(FILE_BYTES));
        progress(`run ${run + 1}/${RUNS}: ${CHANGED} files changed`);
        // the same tree for both, alternating which goes first
        const order = run % 2 ? (['restic', 'abri'] as const) : (['abri', 'restic'] as const);
        for (const who of order) {
          const before = await du(exec, repoOf(who === 'abri' ? 0 : 1));
          const t0 = performance.now();
          const added = who === 'abri'
            ? (await abri.backup(new Date(Date.now() + (run + 1) * 86_400_000), true)).data_added ?? 0
            : (JSON.parse((await alone.restic(backupArgs(home, names[1]!, 'h1', new Date()), 3_600_000)).stdout.trim().split('\n').at(-1)!) as { data_added: number }).data_added;
          results[who].ms.push(performance.now() - t0);
          results[who].added.push(added);
          results[who].grew.push((await du(exec, repoOf(who === 'abri' ? 0 : 1))) - before);
        }
      }
      const summary = (r: { ms: number[]; added: number[]; grew: number[] }) => ({ medianMs: round(median(r.ms)), runsMs: r.ms.map(round), medianBytesAdded: median(r.added), medianRepositoryGrowthBytes: median(r.grew) });
      const a = summary(results.abri);
      const f = summary(results.restic);
      return {
        tree: { files: FILES, bytes: FILES * FILE_BYTES, changedFiles: CHANGED, changedBytes: CHANGED * FILE_BYTES },
        abri: a,
        floor: { what: 'restic backup alone, same tree, same sshd, another repository', ...f },
        overheadMs: round(a.medianMs - f.medianMs),
        ratio: Math.round((a.medianMs / f.medianMs) * 100) / 100,
        note: 'abri = unlock (stale locks) + backup + forget --prune (retention; prune runs only when forget removed a snapshot: not here, one a day); each is a restic process opening the repository over SSH',
      };
    } finally {
      await server.stopSshd();
      for (const n of names) {
        await exec.run('userdel', ['-f', `bk-${n}`], { allowFailure: true });
        await exec.run('groupdel', [`bk-${n}`], { allowFailure: true });
      }
      await rm(root, { recursive: true, force: true });
    }
  },
};
