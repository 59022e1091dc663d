// `abri backup restore …` / `abri backup restores`: restoring a part of a hosting's off-server backup
// (--path: a file or folder, into restored-<date>/ or in place after a safety snapshot; staff
// --whole-hosting; --part db:<name> | mail:<address>: into a new database / mail folder, or in place
// after a safety copy), and the hosting's last restores from its backups. The server holding the part
// does it; --wait follows it.
import type { Command } from 'commander';
import type { ApiClient } from './api-client.js';
import { CliError } from './api-client.js';
import { client, seg, type Item } from './command-kit.js';
import { print, printTable, wantsJson } from './output.js';
import { restoreLine as filesLine, waitRestore as waitFiles } from './commands-snapshots.js';

/** One line saying where a restore stands (and how to undo an in-place one). */
const partLine = (r: Item) =>
  `restore ${String(r.id)} ${String(r.status)}: ${String(r.part)} of ${String(r.snapshot)} → ${String(r.target)}` +
  (r.safetySnapshot && r.status !== 'failed' ? ` (undo: restore ${String(r.part)} in place from ${String(r.safetySnapshot)})` : '') +
  (r.error ? ` — ${String((r.error as Item).message ?? '')} (${String((r.error as Item).code)})` : '');

async function waitPart(api: ApiClient, hosting: string, r: Item): Promise<Item> {
  let delay = 200;
  while (r.status === 'requested' || r.status === 'running') {
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(delay * 2, 2000);
    const list = await api.get<{ items: Item[] }>(`/api/v1/hostings/${seg(hosting)}/backups/restores`);
    r = list.items.find((x) => x.id === r.id) ?? r;
  }
  return r;
}

export function registerBackupRestoreCommands(backup: Command, program: Command) {
  backup
    .command('restore')
    .description('restore a part of a backup: --path a file or folder (into a new restored-<date>/ folder of the home, or in place after a safety snapshot), staff: --whole-hosting, or --part db:<name> | mail:<address> (into a new database <name>_restored_<date> / mail folder Restored-<date>, or in place after a safety copy)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .option('--backup <id>', 'the backup (its id or short id: abri backup list)')
    .option('--snapshot <id>', 'the same as --backup')
    .option('--path <path>', 'a file or folder, relative to the home (e.g. var/www/site/wp-config.php)')
    .option('--whole-hosting', 'staff: every file of the hosting (var/www), in place, after a safety snapshot')
    .option('--part <part>', 'db:<database name> or mail:<address> (abri backup list shows them)')
    .option('--in-place', 'over the current one (a safety snapshot or copy is taken first)')
    .option('--wait', 'wait until it is done or failed (exit 1 when it failed)')
    .action(async (o: { hosting: string; backup?: string; snapshot?: string; path?: string; wholeHosting?: boolean; part?: string; inPlace?: boolean; wait?: boolean }) => {
      const id = o.backup ?? o.snapshot;
      if (!id) throw new CliError('give --backup <id> (abri backup list)', 'cli.usage');
      if ([o.path !== undefined, !!o.wholeHosting, o.part !== undefined].filter(Boolean).length !== 1) throw new CliError('give one of --path, --part db:<name>|mail:<address> or (staff) --whole-hosting', 'cli.usage');
      const mode = o.inPlace ? 'in-place' : o.part ? 'new' : 'copy';
      const body = o.wholeHosting ? { part: 'hosting' } : o.part ? { part: o.part, mode } : { part: 'files', path: o.path, mode };
      const api = client(program);
      let r = await api.post<Item>(`/api/v1/hostings/${seg(o.hosting)}/backups/${seg(id)}/restore`, body);
      const files = !o.part;
      if (o.wait) r = files ? await waitFiles(api, o.hosting, r) : await waitPart(api, o.hosting, r);
      const line = files ? filesLine(r) : partLine(r);
      if (r.status === 'failed') {
        if (wantsJson(program)) print(program, r);
        throw new CliError(line);
      }
      print(program, r, o.wait ? line : `${line}; its server does it when it gets the change (abri backup restores --hosting ${o.hosting})`);
    });
  backup
    .command('restores')
    .description('list the last restores from a hosting\'s backups (files, whole hosting, databases, mailboxes), newest first')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).get<{ items: Item[] }>(`/api/v1/hostings/${seg(o.hosting)}/backups/restores`);
      const items = r.items.map((x) => ({ ...x, error: x.error ? String((x.error as Item).code) : '' }));
      printTable(program, { items, total: items.length, nextCursor: null }, ['id', 'status', 'snapshot', 'part', 'path', 'mode', 'target', 'safetySnapshot', 'requestedAt', 'error']);
    });
}
