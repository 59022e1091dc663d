// `abri user …`: accounts of the staff and of customers' people.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { readStdin } from './commands-local.js';
import { addList, addShow, bodyFrom, changes, client, oneOf, seg, show, type Item, type Resource } from './command-kit.js';

const users: Resource = {
  noun: 'user',
  path: '/api/v1/users',
  ref: 'id or email',
  columns: ['email', 'role', 'locale', 'disabled', 'passwordSet', 'totpEnabled'],
  sorts: 'email, role, createdAt',
  label: (u) => String(u.email),
};

const roles = ['admin', 'staff', 'customer'] as const;
const locales = ['fr', 'en'] as const;
const fields = { email: 'email', role: 'role', locale: 'locale', password: 'password' };

type UserOptions = { email?: string; role?: string; locale?: string; passwordStdin?: boolean };

/** Options shared by `user add` and `user edit`; the password only ever comes from standard input. */
function userOptions(cmd: Command, add: boolean): Command {
  const needed = add ? cmd.requiredOption.bind(cmd) : cmd.option.bind(cmd);
  needed('--email <email>', add ? 'email (the login)' : 'new email');
  return cmd
    .option('--role <role>', `${roles.join(', ')}${add ? ' (default customer)' : ''}`, oneOf(roles))
    .option('--locale <locale>', `language: ${locales.join(', ')}${add ? ' (default fr)' : ''}`, oneOf(locales))
    .option('--password-stdin', add ? 'read a password from standard input (default: print an activation link, valid 7 days)' : 'reset the password, read from standard input: ends the user\'s sessions and revokes their API tokens');
}

const withPassword = async (o: UserOptions): Promise<Item> => bodyFrom({ ...o, password: o.passwordStdin ? await readStdin() : undefined }, fields);

export function registerUserCommands(program: Command) {
  const cmd = program.command('user').description(about.user);
  const path = (ref: string) => `${users.path}/${seg(ref)}`;

  addList(program, cmd, users);

  userOptions(cmd.command('add').description('create a user; without --password-stdin, prints an activation link'), true)
    .action(async (o: UserOptions) => {
      const u = await client(program).post<Item>(users.path, await withPassword(o));
      show(program, u, `user ${u.email} (${u.role}) created` + (u.invitationUrl ? `; send them this link to choose a password (valid 7 days):\n${u.invitationUrl}` : ''));
    });

  addShow(program, cmd, users);

  userOptions(cmd.command('edit').description('change a user'), false)
    .argument('<ref>', `user ${users.ref}`)
    .option('--enable', 'let a disabled user log in again')
    .action(async (ref: string, o: UserOptions & { enable?: boolean }) => {
      const body = { ...(await withPassword(o)), ...(o.enable ? { disabled: false } : {}) };
      const u = await client(program).patch<Item>(path(ref), changes(body, 'user edit'));
      show(program, u, `user ${u.email} changed`);
    });

  cmd
    .command('disable')
    .description('stop a user from logging in or using their API tokens (undo with `user edit --enable`)')
    .argument('<ref>', `user ${users.ref}`)
    .action(async (ref: string) => {
      const u = await client(program).patch<Item>(path(ref), { disabled: true });
      show(program, u, `user ${u.email} disabled`);
    });
}
