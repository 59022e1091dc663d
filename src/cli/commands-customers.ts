// `abri customer …`: customers, who may act for them (delegations) and their invitations.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { CliError, type ApiClient } from './api-client.js';
import { print, printTable } from './output.js';
import { addList, addRemove, addShow, bodyFrom, changes, client, oneOf, seg, show, type Item, type Page, type Resource } from './command-kit.js';

const customers: Resource = {
  noun: 'customer',
  path: '/api/v1/customers',
  ref: 'id or number',
  columns: ['number', 'name', 'contactEmail', 'status'],
  sorts: 'number, name, contactEmail, status, createdAt',
  label: (c) => `${c.number} "${c.name}"`,
};

const statuses = ['active', 'suspended', 'closed'] as const;
const roles = ['owner', 'manager', 'readonly'] as const;
const fields = { name: 'name', email: 'contactEmail', address: 'postalAddress', status: 'status' };

const delegations = (ref: string) => `${customers.path}/${seg(ref)}/delegations`;
const invitations = (ref: string) => `${customers.path}/${seg(ref)}/invitations`;

const invitationText = (i: Item, ref: string) =>
  `invitation for ${i.email} to act for customer ${ref} as ${i.role}; send them this link (it works once, until ${i.expiresAt}):\n${i.invitationUrl}`;

/** An invitation's id from its id or the invited email. */
async function invitationId(api: ApiClient, ref: string, which: string): Promise<string> {
  if (!which.includes('@')) return which;
  const page = await api.get<Page>(invitations(ref));
  const found = page.items.find((it) => String(it.email).toLowerCase() === which.toLowerCase());
  if (!found) throw new CliError(`no waiting invitation for ${which} to customer ${ref}`, 'invitation.not_found');
  return String(found.id);
}

export function registerCustomerCommands(program: Command) {
  const cmd = program.command('customer').description(about.customer);

  addList(program, cmd, customers);

  cmd
    .command('add')
    .description('create a customer')
    .requiredOption('--name <name>', 'name of the person or organisation')
    .requiredOption('--email <email>', 'contact email')
    .option('--address <address>', 'postal address (may span lines)')
    .option('--status <status>', `one of ${statuses.join(', ')} (default active)`, oneOf(statuses))
    .action(async (o: Item) => {
      const c = await client(program).post<Item>(customers.path, bodyFrom(o, fields));
      show(program, c, `customer ${customers.label(c)} created`);
    });

  addShow(program, cmd, customers);

  cmd
    .command('edit')
    .description('change a customer')
    .argument('<ref>', `customer ${customers.ref}`)
    .option('--name <name>', 'new name')
    .option('--email <email>', 'new contact email')
    .option('--address <address>', 'new postal address')
    .option('--status <status>', statuses.join(', '), oneOf(statuses))
    .action(async (ref: string, o: Item) => {
      const c = await client(program).patch<Item>(`${customers.path}/${seg(ref)}`, changes(bodyFrom(o, fields), 'customer edit'));
      show(program, c, `customer ${customers.label(c)} changed`);
    });

  addRemove(program, cmd, customers, 'delete a customer that has no hosting');

  cmd
    .command('invite')
    .description('invite someone (by email) to act for a customer: the link, valid once for 7 days, is e-mailed to them and printed')
    .argument('<ref>', `customer ${customers.ref}`)
    .requiredOption('--email <email>', 'email of the person to invite')
    .option('--role <role>', `${roles.join(', ')} (default manager)`, oneOf(roles))
    .option('--locale <locale>', 'the language of the e-mail: fr or en (default: yours)', oneOf(['fr', 'en'] as const))
    .action(async (ref: string, o: { email: string; role?: string; locale?: string }) => {
      const i = await client(program).post<Item>(invitations(ref), bodyFrom(o, { email: 'email', role: 'role', locale: 'locale' }));
      print(program, i, invitationText(i, ref));
    });

  cmd
    .command('invitations')
    .description('list the invitations of a customer waiting for their recipient')
    .argument('<ref>', `customer ${customers.ref}`)
    .action(async (ref: string) => {
      printTable(program, await client(program).get<Page>(invitations(ref)), ['id', 'email', 'role', 'expiresAt', 'expired', 'invitedBy']);
    });

  cmd
    .command('reinvite')
    .description('send an invitation again: a new link is e-mailed and printed (the previous one stops working)')
    .argument('<ref>', `customer ${customers.ref}`)
    .argument('<invitation>', 'invitation id, or the invited email')
    .action(async (ref: string, which: string) => {
      const api = client(program);
      const i = await api.post<Item>(`${invitations(ref)}/${seg(await invitationId(api, ref, which))}/renew`);
      print(program, i, invitationText(i, ref));
    });

  cmd
    .command('uninvite')
    .description('revoke a waiting invitation (its link stops working)')
    .argument('<ref>', `customer ${customers.ref}`)
    .argument('<invitation>', 'invitation id, or the invited email')
    .action(async (ref: string, which: string) => {
      const api = client(program);
      await api.delete(`${invitations(ref)}/${seg(await invitationId(api, ref, which))}`);
      print(program, { revoked: true, customer: ref, invitation: which }, `invitation ${which} to customer ${ref} revoked`);
    });

  cmd
    .command('access')
    .description('list who has access to a customer')
    .argument('<ref>', `customer ${customers.ref}`)
    .action(async (ref: string) => {
      printTable(program, await client(program).get<Page>(delegations(ref)), ['id', 'email', 'role', 'pending', 'userId']);
    });

  cmd
    .command('revoke')
    .description('remove a user\'s access to a customer')
    .argument('<ref>', `customer ${customers.ref}`)
    .argument('<who>', 'delegation id, user id, or the user\'s email')
    .action(async (ref: string, who: string) => {
      const api = client(program);
      let target = who;
      if (who.includes('@')) {
        const page = await api.get<Page>(delegations(ref));
        const d = page.items.find((it) => String(it.email).toLowerCase() === who.toLowerCase());
        if (!d) throw new CliError(`${who} has no access to customer ${ref}`, 'delegation.not_found');
        target = String(d.id);
      }
      await api.delete(`${delegations(ref)}/${seg(target)}`);
      print(program, { revoked: true, customer: ref, who }, `${who} no longer has access to customer ${ref}`);
    });
}
