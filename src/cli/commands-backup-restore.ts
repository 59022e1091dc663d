// `abri backup restore …` / `abri backup restores`: restoring a database or a mailbox of a hosting's
// off-server backup (into a new database / mail folder, or in place after a safety copy), and the
// hosting's last such restores. The server holding the part does it; --wait follows it.
import type { Command } from 'commander';
import type { ApiClient } from './api-client.js';
import { CliError } from './api-client.js';
import { client, seg, type Item } from './command-kit.js';
import { print, printTable, wantsJson } from './output.js';

/** One line saying where a restore stands (and how to undo an in-place one). */
const restoreLine = (r: Item) =>
  `restore ${String(r.id)} ${String(r.status)}: ${String(r.part)} of ${String(r.snapshot)} → ${String(r.target)}` +
  (r.safetySnapshot && r.status !== 'failed' ? ` (undo: restore ${String(r.part)} in place from ${String(r.safetySnapshot)})` : '') +
  (r.error ? ` — ${String((r.error as Item).message ?? '')} (${String((r.error as Item).code)})` : '');

async function waitRestore(api: ApiClient, hosting: string, r: Item): Promise<Item> {
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
    .description('restore a database or a mailbox of a backup: into a new database <name>_restored_<date> / mail folder Restored-<date> (default), or in place (after a safety copy that undoes it)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .requiredOption('--snapshot <id>', 'the backup part\'s snapshot (its short id, abri backup list)')
    .requiredOption('--part <part>', 'db:<database name> or mail:<address> (abri backup list shows them)')
    .option('--in-place', 'over the database or mailbox itself (a safety copy is kept first)')
    .option('--wait', 'wait until it is done or failed (exit 1 when it failed)')
    .action(async (o: { hosting: string; snapshot: string; part: string; inPlace?: boolean; wait?: boolean }) => {
      const api = client(program);
      let r = await api.post<Item>(`/api/v1/hostings/${seg(o.hosting)}/backups/${seg(o.snapshot)}/restore`, { part: o.part, mode: o.inPlace ? 'in-place' : 'new' });
      if (o.wait) r = await waitRestore(api, o.hosting, r);
      if (r.status === 'failed') {
        if (wantsJson(program)) print(program, r);
        throw new CliError(restoreLine(r));
      }
      print(program, r, o.wait ? restoreLine(r) : `${restoreLine(r)}; its server does it when it gets the change (abri backup restores --hosting ${o.hosting})`);
    });
  backup
    .command('restores')
    .description('list the last restores of databases and mailboxes of a hosting\'s backups, newest first')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => {
      const r = await client(program).get<{ items: Item[] }>(`/api/v1/hostings/${seg(o.hosting)}/backups/restores`);
      const items = r.items.map((x) => ({ ...x, error: x.error ? String((x.error as Item).code) : '' }));
      printTable(program, { items, total: items.length, nextCursor: null }, ['id', 'status', 'snapshot', 'part', 'mode', 'target', 'safetySnapshot', 'requestedAt', 'error']);
    });
}
