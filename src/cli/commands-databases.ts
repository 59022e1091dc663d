// `abri db …` and `abri db-user …`: the MariaDB databases of a hosting and the users that reach them.
// Names are given without the hosting's prefix on creation (`abri db add wp --hosting h12` makes
// h12_wp) and in full afterwards (`abri db show h12_wp`). Passwords are printed once, when made.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { addRemove, addShow, client, commaList, listQuery, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print } from './output.js';
import { addConsoleCommand } from './commands-dbadmin.js';

const status = (i: Item) => (i.provisioning as { status?: string } | undefined)?.status ?? '';

const databases: Resource = {
  noun: 'database',
  path: '/api/v1/databases',
  ref: 'id or full name (h12_wp)',
  columns: ['name', 'host', 'port', 'users', 'size', 'writes', 'status'],
  sorts: 'name, createdAt, updatedAt',
  row: (d) => ({
    ...d,
    size: d.sizeBytes === null ? 'not measured yet' : `${(Number(d.sizeBytes) / 1024 / 1024).toFixed(1)} MB`,
    writes: d.readOnly ? 'refused (over databaseMb)' : 'allowed',
    status: status(d),
  }),
  label: (d) => String(d.name),
};

const users: Resource = {
  noun: 'database user',
  path: '/api/v1/database-users',
  ref: 'id or full name (h12_wp)',
  columns: ['name', 'databases', 'host', 'port', 'passwordChangedAt', 'status'],
  sorts: 'name, createdAt, passwordChangedAt',
  row: (u) => ({ ...u, status: status(u) }),
  label: (u) => String(u.name),
};

const shownOnce = 'its password is shown only this once: keep it (abri db-user password makes a new one)';

export function registerDatabaseCommands(program: Command) {
  const db = program.command('db').description(about.db);

  withListOptions(db.command('list').description('list the databases of a hosting'), databases.sorts)
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: ListOptions & { hosting: string }) => {
      printList(program, databases, await client(program).get<Page>(`/api/v1/hostings/${seg(o.hosting)}/databases`, listQuery(o)));
    });

  db.command('add').description('create a database <hosting>_<name> on the hosting\'s database server')
    .argument('<name>', 'the name after the hosting\'s prefix: a-z, 0-9 and _ (wp makes h12_wp)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .option('--user', 'also create a user of the same name with every privilege on it (its password is printed once)')
    .action(async (name: string, o: { hosting: string; user?: boolean }) => {
      const d = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/databases`, { name, user: !!o.user });
      const user = d.user as Item | undefined;
      show(program, d, `database ${d.name} created on ${d.host}:${d.port}${user ? ` with user ${user.name}; ${shownOnce}` : ''}`);
    });

  addShow(program, db, databases);

  db.command('usage').description('a hosting\'s use of its database quotas (databases, users, space) and whether writes are refused')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: { hosting: string }) => show(program, await client(program).get<Item>(`/api/v1/hostings/${seg(o.hosting)}/database-usage`)));

  addRemove(program, db, databases, 'remove a database: its server drops it with its tables (no undo)');

  const user = program.command('db-user').description(about['db-user']);

  withListOptions(user.command('list').description('list the database users of a hosting'), users.sorts)
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: ListOptions & { hosting: string }) => {
      printList(program, users, await client(program).get<Page>(`/api/v1/hostings/${seg(o.hosting)}/database-users`, listQuery(o)));
    });

  user.command('add').description('create a database user <hosting>_<name>; prints its password once')
    .argument('<name>', 'the name after the hosting\'s prefix: a-z, 0-9 and _ (the whole name at most 32 characters)')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .option('--db <database>', 'a database of the hosting it gets every privilege on (repeatable, or comma-separated)', commaList)
    .action(async (name: string, o: { hosting: string; db?: string[] }) => {
      const u = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/database-users`, { name, databases: o.db ?? [] });
      show(program, u, `database user ${u.name} created; ${shownOnce}`);
    });

  addShow(program, user, users);

  user.command('password').description('give a user a new password (printed once); the old one stops working')
    .argument('<ref>', `database user ${users.ref}`)
    .action(async (ref: string) => {
      const u = await client(program).post<Item>(`${users.path}/${seg(ref)}/password`);
      show(program, u, `database user ${u.name}: new password; ${shownOnce}`);
    });

  for (const [verb, adds] of [['grant', true], ['revoke', false]] as const) {
    user.command(verb).description(adds ? 'give a user every privilege on more databases of its hosting' : 'take a user\'s privileges on databases away')
      .argument('<ref>', `database user ${users.ref}`)
      .argument('<databases...>', 'databases of the user\'s hosting (full names or ids)')
      .action(async (ref: string, names: string[]) => {
        const api = client(program);
        const current = (await api.get<Item>(`${users.path}/${seg(ref)}`)).databases as string[];
        const wanted = adds ? [...new Set([...current, ...names])] : current.filter((n) => !names.includes(n));
        const u = await api.patch<Item>(`${users.path}/${seg(ref)}`, { databases: wanted });
        print(program, u, `database user ${u.name}: privileges on ${(u.databases as string[]).join(', ') || 'no database'}`);
      });
  }

  addConsoleCommand(program, user);

  addRemove(program, user, users, 'remove a database user (its server drops it and ends its connections)');
}
