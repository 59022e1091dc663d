// `abri mailbox app-password add|list|remove`: named passwords of a mailbox for devices (IMAP, POP3,
// SMTP with the mailbox's address as login). A new one is generated and printed once; revoking one
// leaves the mailbox's password and its other app passwords working.
import type { Command } from 'commander';
import { CliError } from './api-client.js';
import { client, seg, show, type Item } from './command-kit.js';
import { print, printTable } from './output.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerAppPasswordCommands(program: Command, mailbox: Command) {
  const cmd = mailbox.command('app-password').description('app passwords of a mailbox: one per device, revocable alone');
  cmd.command('list').description('list the app passwords of a mailbox (names and dates; the passwords were printed once)')
    .argument('<mailbox>', 'mailbox id or address (joe@example.org)')
    .action(async (ref: string) => {
      const { items } = await client(program).get<{ items: Item[] }>(`/api/v1/mailboxes/${seg(ref)}/app-passwords`);
      printTable(program, { items, total: items.length, nextCursor: null }, ['name', 'createdAt', 'id']);
    });
  cmd.command('add').description('add an app password to a mailbox; prints it once')
    .argument('<mailbox>', 'mailbox id or address (joe@example.org)')
    .argument('<name>', 'what it is for, e.g. "Phone"')
    .action(async (ref: string, name: string) => {
      const p = await client(program).post<Item>(`/api/v1/mailboxes/${seg(ref)}/app-passwords`, { name });
      show(program, p, `app password "${p.name}" added to ${p.address}: sign in as ${p.address} with it (IMAP, POP3, SMTP); it is shown only this once`);
    });
  cmd.command('remove').description('revoke one app password (the mailbox\'s other passwords go on working)')
    .argument('<mailbox>', 'mailbox id or address (joe@example.org)')
    .argument('<app-password>', 'its name or id')
    .action(async (ref: string, which: string) => {
      const api = client(program);
      const { items } = await api.get<{ items: Item[] }>(`/api/v1/mailboxes/${seg(ref)}/app-passwords`);
      const p = items.find((i) => (UUID.test(which) ? i.id === which.toLowerCase() : String(i.name).toLowerCase() === which.toLowerCase()));
      if (!p) throw new CliError(`${ref} has no app password "${which}" (abri mailbox app-password list ${ref})`, 'app_password.not_found');
      await api.delete(`/api/v1/app-passwords/${seg(String(p.id))}`);
      print(program, { removed: true, id: p.id }, `app password "${p.name}" of ${p.address} revoked`);
    });
}
