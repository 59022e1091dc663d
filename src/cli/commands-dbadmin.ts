// `abri db-user console <ref>`: opens the web database admin (Adminer) as a database user without
// its password, from a terminal. A ticket is single-use, valid a minute, and always POSTed (never put
// in an address, where logs and histories would keep it): the command writes a small page, readable
// by its owner only (0600, in a 0700 folder of its own), whose form posts the ticket to the admin as
// soon as a browser opens it, and prints its path.
import { mkdtemp, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { client, seg, type Item } from './command-kit.js';
import { CliError } from './api-client.js';
import { print } from './output.js';

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page: a form that posts the ticket at once (a button without JavaScript), no referrer, nothing cached. */
export function consolePage(url: string, ticket: string, user: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="Cache-Control" content="no-store">',
    `<title>Adminer · ${html(user)}</title></head><body>`,
    `<form method="post" action="${html(url)}"><input type="hidden" name="ticket" value="${html(ticket)}">`,
    `<p>Opening Adminer as ${html(user)}… <button type="submit">Open Adminer</button> (within a minute, once)</p></form>`,
    '<script>document.forms[0].submit()</script>',
    '</body></html>',
    '',
  ].join('\n');
}

export function addConsoleCommand(program: Command, user: Command) {
  user.command('console').description('open the web database admin (Adminer) as this user without its password: writes a page (0600) that signs in once, within a minute, and prints its path')
    .argument('<ref>', 'database user id or full name (h12_wp)')
    .option('--out <file>', 'write the page there (a new file; default: a new private folder under the temporary directory)')
    .action(async (ref: string, o: { out?: string }) => {
      const api = client(program);
      const u = await api.get<Item>(`/api/v1/database-users/${seg(ref)}`);
      const t = await api.post<{ url: string; ticket: string; expiresAt: string }>(`/api/v1/database-users/${seg(String(u.id))}/dbadmin-ticket`);
      const file = o.out ? path.resolve(o.out) : path.join(await mkdtemp(path.join(os.tmpdir(), 'abri-dbadmin-')), 'adminer.html');
      let handle;
      try {
        handle = await open(file, 'wx', 0o600); // never over an existing file (nor through a link planted there)
      } catch (e) {
        throw new CliError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists' : (e as Error).message}`);
      }
      try {
        await handle.writeFile(consolePage(t.url, t.ticket, String(u.name)));
      } finally {
        await handle.close();
      }
      print(program, { file, url: t.url, user: u.name, expiresAt: t.expiresAt },
        `${file}\nopen it in a browser before ${t.expiresAt} (once): it signs Adminer in as ${String(u.name)}; then delete it`);
    });
}
