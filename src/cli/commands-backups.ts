// `abri backup …`: a hosting's off-server backups (restic snapshots on its backup server, listed by
// its web server) and their health; a backup now; staff: every repository's health and setting up
// repositories now.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { client, oneLine, oneOf, printList, seg, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print, printTable, wantsJson } from './output.js';
import { registerBackupRestoreCommands } from './commands-backup-restore.js';

const repositories: Resource = {
  noun: 'backup repository',
  path: '/api/v1/backups',
  ref: 'hosting',
  columns: ['hostingName', 'customerName', 'server', 'health', 'lastSuccessAt', 'lastErrorAt', 'lastError'],
  sorts: 'hosting, server, createdAt',
  row: (r) => ({ ...r, lastError: oneLine(r.lastError) }),
  label: (r) => String(r.hostingName),
};

const mb = (bytes: unknown) => (typeof bytes === 'number' ? (bytes / 1048576).toFixed(1) : '');

export function registerBackupCommands(program: Command) {
  const backup = program.command('backup').description(about.backup);
  backup
    .command('list')
    .description('list the backups of a hosting per day, newest first, with the parts each holds (files, db:<name>, mail:<address>), their size and the health')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).get<Item>(`/api/v1/hostings/${seg(o.hosting)}/backups`);
      if (wantsJson(program)) return print(program, r);
      const keep = r.retention as Record<string, number>;
      const repo = r.repository as Item | null;
      if (!repo) {
        process.stderr.write('no backups yet: this hosting gets a repository on a backup server within minutes once one exists\n');
        return;
      }
      const last = repo.lastSuccessAt ? `last good backup ${String(repo.lastSuccessAt)}` : 'no good backup yet';
      process.stderr.write(`health: ${String(repo.health)} (${last}${repo.lastError ? `; last error: ${oneLine(repo.lastError)}` : ''}); kept: ${keep.keepDaily} daily, ${keep.keepWeekly} weekly\n`);
      const items = (r.days as Array<{ day: string; parts: Item[] }>).flatMap((d) => d.parts.map((s) => ({ ...s, day: d.day, part: s.safety ? `${String(s.part)} (safety)` : s.part, sizeMb: mb(s.sizeBytes) })));
      printTable(program, { items, total: items.length, nextCursor: null }, ['day', 'part', 'shortId', 'time', 'sizeMb']);
    });
  registerBackupRestoreCommands(backup, program);
  backup
    .command('now')
    .description('back a hosting up now (its web server makes the backup when it gets the change)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/backups`, {});
      print(program, r, 'backup asked for: the web server makes it when it gets the change (see `abri backup list`)');
    });
  backup
    .command('files')
    .description('list one folder of a backup (what a restore can take), folders first')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .requiredOption('--backup <id>', 'the backup (its id or short id: abri backup list)')
    .option('--path <folder>', 'the folder, relative to the home (default: the home)', '')
    .action(async (o: { hosting: string; backup: string; path: string }) => {
      const r = await client(program).get<Item>(`/api/v1/hostings/${seg(o.hosting)}/backups/${seg(o.backup)}/tree`, { path: o.path });
      if (wantsJson(program)) return print(program, r);
      const items = (r.entries as Item[]).map((e) => ({ ...e, size: e.size ?? '' }));
      printTable(program, { items, total: items.length, nextCursor: null }, ['type', 'path', 'size', 'mtime']);
    });
  backup
    .command('check')
    .description('staff: check a sample of a hosting\'s repository now (restic check of the next part of its data; a weekly job checks every repository)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/backups/check`, {});
      print(program, r, `check ${String(r.requests)} of ${o.hosting}'s backups asked for (data subset ${String(r.subset)}): its web server runs it when it gets the change (abri backup health)`);
    });
  withListOptions(backup.command('health').description('staff: every hosting\'s repository and its health, failed ones with --failed'), repositories.sorts)
    .option('--state <health>', 'only ok, failed or never (no good backup yet)', oneOf(['ok', 'failed', 'never'] as const))
    .option('--failed', 'only the repositories whose last backup failed')
    .action(async (o: ListOptions & { state?: string; failed?: boolean }) => {
      const { q, sort, limit, cursor } = o;
      printList(program, repositories, await client(program).get<Page>(repositories.path, { q, sort, limit, cursor, health: o.failed ? 'failed' : o.state }));
    });
  backup
    .command('assign')
    .description('staff: set up a repository now for every hosting without one (a job does it every 10 minutes)')
    .action(async () => {
      const r = await client(program).post<Item>('/api/v1/backups/assign', {});
      print(program, r, `${String(r.assigned)} repositories set up${r.waiting ? `; ${String(r.waiting)} hostings wait for a backup server` : ''}`);
    });
}
