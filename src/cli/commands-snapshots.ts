// `abri snapshot list --hosting h…`: the read-only snapshots of a hosting's home, read on its web
// server (a table on stdout; where they are and what is kept on stderr).
import type { Command } from 'commander';
import { client, seg, type Item } from './command-kit.js';
import { printTable, wantsJson, print } from './output.js';

export function registerSnapshotCommands(program: Command) {
  const snapshot = program.command('snapshot').description('read-only snapshots of a hosting\'s home, in its backups/ folder (taken by its web server)');
  snapshot
    .command('list')
    .description('list the snapshots of a hosting, newest first')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).get<Item>(`/api/v1/hostings/${seg(o.hosting)}/snapshots`);
      if (wantsJson(program)) return print(program, r);
      const s = r.schedule as Record<string, number>;
      const kept = `kept: ${s.hourly} hourly, ${s.daily} daily (05:00 UTC), ${s.weekly} weekly (Sunday 07:00), ${s.monthly} monthly (the 1st, 08:00)`;
      if (!r.available) {
        process.stderr.write(`no snapshots: this hosting's home is not on btrfs on its web server (${kept})\n`);
        return;
      }
      process.stderr.write(`in the home's backups/ folder, read-only (over SFTP, FTP or SSH); ${kept}\n`);
      const items = (r.snapshots as Item[]).map((x) => ({ ...x, exclusiveMb: typeof x.exclusiveBytes === 'number' ? (x.exclusiveBytes / 1048576).toFixed(1) : '' }));
      const columns = ['kind', 'name', 'takenAt', 'path', ...(r.totalExclusiveBytes === null ? [] : ['exclusiveMb'])];
      printTable(program, { items, total: items.length, nextCursor: null }, columns);
    });
  snapshot
    .command('take')
    .description('take a snapshot of a hosting\'s home now (kind "manual"; the last 3 are kept)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/snapshots`, {});
      print(program, r, `snapshot asked for: its web server takes it when it gets the change (backups/manual-…; the last ${String(r.kept)} are kept)`);
    });
}
