// `abri sftp-user …`: the SFTP users of a hosting, their restriction folder, password and public keys.
// Names are given without the hosting's prefix on creation (`abri sftp-user add web --hosting h12`
// makes h12-web) and in full afterwards (`abri sftp-user show h12-web`). Passwords are printed once.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { about } from './command-list.js';
import { addRemove, addShow, client, listQuery, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';

const users: Resource = {
  noun: 'SFTP user',
  path: '/api/v1/sftp-users',
  ref: 'id or full name (h12-web)',
  columns: ['name', 'host', 'port', 'folder', 'access', 'login', 'keys', 'state', 'status'],
  sorts: 'name, createdAt, folder',
  row: (u) => ({
    ...u,
    folder: u.folder || '(whole home)',
    access: u.shell ? 'ssh shell' : 'sftp',
    login: u.password ? 'password' : 'keys only',
    keys: (u.keys as Item[]).length,
    state: u.locked ? 'locked (hosting not active)' : u.enabled ? 'enabled' : 'disabled',
    status: (u.provisioning as { status?: string } | undefined)?.status ?? '',
  }),
  label: (u) => String(u.name),
};

const shownOnce = 'its password is shown only this once: keep it (abri sftp-user passwd makes a new one)';
const connect = (u: Item) => (u.shell ? `ssh -p ${u.port} ${u.name}@${u.host}  (or sftp -P ${u.port} …)` : `sftp -P ${u.port} ${u.name}@${u.host}`);

/** A key given as a line or as a file (~/.ssh/id_ed25519.pub). */
async function keyText(arg: string): Promise<string> {
  if (/^(ssh-|ecdsa-)/.test(arg.trim())) return arg;
  return (await readFile(arg, 'utf8')).trim();
}

export function registerSftpCommands(program: Command) {
  const user = program.command('sftp-user').description(about['sftp-user']);

  withListOptions(user.command('list').description('list the SFTP users of a hosting'), users.sorts)
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: ListOptions & { hosting: string }) => {
      printList(program, users, await client(program).get<Page>(`/api/v1/hostings/${seg(o.hosting)}/sftp-users`, listQuery(o)));
    });

  user.command('add').description('create an SFTP user <hosting>-<name>; prints its password once (unless --no-password)')
    .argument('<name>', 'the name after the hosting\'s prefix: a-z and 0-9, with single - or _ between (the whole name at most 32 characters)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .option('--folder <path>', 'restriction folder relative to the home: var/www or below (default: the whole home)', '')
    .option('--key <key-or-file>', 'a public key it signs in with, or the .pub file holding it (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--no-password', 'no password: it signs in with its keys only')
    .option('--disabled', 'create it disabled')
    .option('--shell', 'SSH shell access in the hosting\'s jail (the offer must allow SSH; the whole home only)')
    .action(async (name: string, o: { hosting: string; folder: string; key?: string[]; password: boolean; disabled?: boolean; shell?: boolean }) => {
      const keys = await Promise.all((o.key ?? []).map(keyText));
      const u = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/sftp-users`, { name, folder: o.folder, password: o.password, keys, enabled: !o.disabled, shell: !!o.shell });
      show(program, u, `SFTP user ${u.name} created: ${connect(u)}${u.newPassword ? `; ${shownOnce}` : ''}`);
    });

  addShow(program, user, users);

  user.command('passwd').description('give a user a new password (printed once); the old one stops working')
    .argument('<ref>', `SFTP user ${users.ref}`)
    .option('--remove', 'remove its password instead: it signs in with its keys only')
    .action(async (ref: string, o: { remove?: boolean }) => {
      const api = client(program);
      const u = o.remove ? await api.delete<Item>(`${users.path}/${seg(ref)}/password`) : await api.post<Item>(`${users.path}/${seg(ref)}/password`);
      show(program, u, o.remove ? `SFTP user ${u.name}: password removed (keys only)` : `SFTP user ${u.name}: new password; ${shownOnce}`);
    });

  user.command('set').description('change a user\'s restriction folder or shell access, or disable/enable it')
    .argument('<ref>', `SFTP user ${users.ref}`)
    .option('--folder <path>', 'restriction folder relative to the home ("" for the whole home)')
    .option('--enable', 'it may sign in')
    .option('--disable', 'it may no longer sign in (open sessions end)')
    .option('--shell', 'SSH shell access in the hosting\'s jail (the offer must allow SSH; the whole home only)')
    .option('--no-shell', 'SFTP only')
    .action(async (ref: string, o: { folder?: string; enable?: boolean; disable?: boolean; shell?: boolean }) => {
      const body = {
        ...(o.folder !== undefined ? { folder: o.folder } : {}),
        ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
        ...(o.shell !== undefined ? { shell: o.shell } : {}),
      };
      const u = await client(program).patch<Item>(`${users.path}/${seg(ref)}`, body);
      show(program, u, `SFTP user ${u.name} changed`);
    });

  const key = user.command('key').description('the public keys of an SFTP user');
  key.command('add').description('add a public key (ed25519, RSA of 2048 bits or more, ECDSA)')
    .argument('<ref>', `SFTP user ${users.ref}`)
    .argument('<key-or-file>', 'the key line, or the .pub file holding it')
    .action(async (ref: string, k: string) => {
      const u = await client(program).post<Item>(`${users.path}/${seg(ref)}/keys`, { key: await keyText(k) });
      show(program, u, `SFTP user ${u.name}: key added`);
    });
  key.command('remove').description('remove a public key')
    .argument('<ref>', `SFTP user ${users.ref}`)
    .argument('<key>', 'the key\'s id or SHA256 fingerprint (as abri sftp-user show lists them)')
    .action(async (ref: string, k: string) => {
      const api = client(program);
      // a fingerprint holds "/" and "+": look the key's id up rather than put it in the path
      const keys = (await api.get<Item>(`${users.path}/${seg(ref)}`)).keys as Item[];
      const found = keys.find((x) => x.id === k || x.fingerprint === k || x.fingerprint === `SHA256:${k}`);
      const u = await api.delete<Item>(`${users.path}/${seg(ref)}/keys/${seg(String(found?.id ?? k))}`);
      show(program, u, `SFTP user ${u.name}: key removed`);
    });

  addRemove(program, user, users, 'remove an SFTP user (its account is deleted and its sessions end; the files stay)');
}
