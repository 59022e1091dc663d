// `abri snapshot list --hosting h…`: the read-only snapshots of a hosting's home, read on its web
// server (a table on stdout; where they are and what is kept on stderr).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { client, seg, type Item } from './command-kit.js';
import { printTable, wantsJson, print } from './output.js';
import { CliError } from './api-client.js';
import type { ApiClient } from './api-client.js';

/** One line saying where a restore stands (and how to undo an in-place one); a backup by its short id. */
export const restoreLine = (r: Item) =>
  `restore ${String(r.id)} ${String(r.status)}: ${String(r.path)} of ${r.source === 'backup' ? String(r.snapshot).slice(0, 8) : String(r.snapshot)} → ${String(r.target)}` +
  (r.safetySnapshot && r.status !== 'failed' ? ` (undo: restore ${String(r.path)} in place from ${String(r.safetySnapshot)})` : '') +
  (r.error ? ` — ${String((r.error as Item).message ?? '')} (${String((r.error as Item).code)})` : '');

/** Polls a restore until it is done or failed. */
export async function waitRestore(api: ApiClient, hosting: string, r: Item): Promise<Item> {
  let delay = 200;
  while (r.status === 'requested' || r.status === 'running') {
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(delay * 2, 2000);
    r = await api.get<Item>(`/api/v1/hostings/${seg(hosting)}/snapshots/restores/${seg(String(r.id))}`);
  }
  return r;
}

export function registerSnapshotCommands(program: Command) {
  const snapshot = program.command('snapshot').description(about.snapshot);
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
  snapshot
    .command('restore')
    .description('restore a file or folder of a snapshot: into a new restored-<date>/ folder of the home (default) or in place (after a safety snapshot that undoes it)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .requiredOption('--snapshot <name>', 'the snapshot, by its name in backups/ (abri snapshot list)')
    .requiredOption('--path <path>', 'the file or folder, relative to the home (e.g. var/www/site/wp-config.php)')
    .option('--in-place', 'over the current file or folder (a safety snapshot is taken first)')
    .option('--wait', 'wait until it is done or failed (exit 1 when it failed)')
    .action(async (o: { hosting: string; snapshot: string; path: string; inPlace?: boolean; wait?: boolean }) => {
      const api = client(program);
      let r = await api.post<Item>(`/api/v1/hostings/${seg(o.hosting)}/snapshots/restores`, { snapshot: o.snapshot, path: o.path, mode: o.inPlace ? 'in-place' : 'copy' });
      if (o.wait) r = await waitRestore(api, o.hosting, r);
      if (r.status === 'failed') {
        if (wantsJson(program)) print(program, r);
        throw new CliError(restoreLine(r));
      }
      print(program, r, o.wait ? restoreLine(r) : `${restoreLine(r)}; its web server does it when it gets the change (abri snapshot restores --hosting ${o.hosting})`);
    });
  snapshot
    .command('restores')
    .description('list the last restores of a hosting, newest first')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).get<{ items: Item[] }>(`/api/v1/hostings/${seg(o.hosting)}/snapshots/restores`);
      const items = r.items.map((x) => ({ ...x, error: x.error ? String((x.error as Item).code) : '' }));
      printTable(program, { items, total: items.length, nextCursor: null }, ['id', 'status', 'snapshot', 'path', 'mode', 'target', 'safetySnapshot', 'requestedAt', 'error']);
    });
}
