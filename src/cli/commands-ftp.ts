// `abri ftp-user …`: the FTP users of a hosting (Pure-FTPd, explicit FTPS), their restriction folder
// and password. Names are given without the hosting's prefix on creation (`abri ftp-user add web
// --hosting h12` makes h12-web) and in full afterwards (`abri ftp-user show h12-web`). Passwords are
// printed once.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { addRemove, addShow, client, listQuery, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';

const users: Resource = {
  noun: 'FTP user',
  path: '/api/v1/ftp-users',
  ref: 'id or full name (h12-web)',
  columns: ['name', 'host', 'port', 'passive', 'folder', 'state', 'status'],
  sorts: 'name, createdAt, folder',
  row: (u) => ({
    ...u,
    passive: u.passivePorts,
    folder: u.folder || '(whole home)',
    state: u.locked ? 'locked (hosting not active)' : u.enabled ? 'enabled' : 'disabled',
    status: (u.provisioning as { status?: string } | undefined)?.status ?? '',
  }),
  label: (u) => String(u.name),
};

const shownOnce = 'its password is shown only this once: keep it (abri ftp-user passwd makes a new one)';
const connect = (u: Item) => `curl --ssl-reqd -u ${u.name} ftp://${u.host}:${u.port}/ (explicit FTPS; passive ports ${u.passivePorts})`;

export function registerFtpCommands(program: Command) {
  const user = program.command('ftp-user').description(about['ftp-user']);

  withListOptions(user.command('list').description('list the FTP users of a hosting'), users.sorts)
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: ListOptions & { hosting: string }) => {
      printList(program, users, await client(program).get<Page>(`/api/v1/hostings/${seg(o.hosting)}/ftp-users`, listQuery(o)));
    });

  user.command('add').description('create an FTP user <hosting>-<name>; prints its password once')
    .argument('<name>', 'the name after the hosting\'s prefix: a-z and 0-9, with single - or _ between (the whole name at most 32 characters)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .option('--folder <path>', 'restriction folder relative to the home: var/www or below (default: the whole home)', '')
    .option('--disabled', 'create it disabled')
    .action(async (name: string, o: { hosting: string; folder: string; disabled?: boolean }) => {
      const u = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/ftp-users`, { name, folder: o.folder, enabled: !o.disabled });
      show(program, u, `FTP user ${u.name} created: ${connect(u)}; ${shownOnce}`);
    });

  addShow(program, user, users);

  user.command('passwd').description('give a user a new password (printed once); the old one stops working')
    .argument('<ref>', `FTP user ${users.ref}`)
    .action(async (ref: string) => {
      const u = await client(program).post<Item>(`${users.path}/${seg(ref)}/password`);
      show(program, u, `FTP user ${u.name}: new password; ${shownOnce}`);
    });

  user.command('set').description('change a user\'s restriction folder, or disable/enable it')
    .argument('<ref>', `FTP user ${users.ref}`)
    .option('--folder <path>', 'restriction folder relative to the home ("" for the whole home)')
    .option('--enable', 'it may sign in')
    .option('--disable', 'it may no longer sign in (open sessions end)')
    .action(async (ref: string, o: { folder?: string; enable?: boolean; disable?: boolean }) => {
      const body = { ...(o.folder !== undefined ? { folder: o.folder } : {}), ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}) };
      const u = await client(program).patch<Item>(`${users.path}/${seg(ref)}`, body);
      show(program, u, `FTP user ${u.name} changed`);
    });

  addRemove(program, user, users, 'remove an FTP user (it can no longer sign in and its sessions end; the files stay)');
}
