// `abri hosting …`: a customer's hosting (system user, home, quotas of its offer).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { CliError } from './api-client.js';
import { addShow, bodyFrom, changes, client, customerId, listQuery, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';

const hostings: Resource = {
  noun: 'hosting',
  path: '/api/v1/hostings',
  ref: 'id or system name (e.g. h100000)',
  columns: ['name', 'customerNumber', 'customerName', 'offerName', 'status', 'phpVersion', 'sites'],
  sorts: 'name, uid, status, createdAt, customerNumber, disk (-disk: nearest their disk limit first)',
  row: (h) => {
    const { used, max } = (h.usage as { sites: { used: number; max: number } }).sites;
    return { ...h, sites: `${used}/${max}` };
  },
  label: (h) => String(h.name),
};

const statuses = ['active', 'suspended', 'terminated'] as const;

export function registerHostingCommands(program: Command) {
  const cmd = program.command('hosting').description(about.hosting);
  const path = (ref: string) => `${hostings.path}/${seg(ref)}`;

  withListOptions(cmd.command('list').description('list hostings'), hostings.sorts)
    .option('--customer <ref>', 'only this customer\'s (id or number)')
    .option('--status <status>', statuses.join(', '), oneOf(statuses))
    .action(async (o: ListOptions & { customer?: string; status?: string }) => {
      const api = client(program);
      const customer = o.customer ? await customerId(api, o.customer) : undefined;
      printList(program, hostings, await api.get<Page>(hostings.path, { ...listQuery(o), customerId: customer, status: o.status }));
    });

  cmd
    .command('add')
    .description('create a hosting for a customer')
    .requiredOption('--customer <ref>', 'customer id or number')
    .requiredOption('--offer <ref>', 'offer id or name')
    .option('--php <version>', 'default PHP version of its sites (default: the newest the offer allows)')
    .option('--server <ref>', 'web server id or name (default: the least loaded)')
    .action(async (o: Item) => {
      const h = await client(program).post<Item>(hostings.path, bodyFrom(o, { customer: 'customerId', offer: 'offerId', php: 'phpVersion', server: 'serverId' }));
      show(program, h, `hosting ${h.name} created for customer ${h.customerNumber} "${h.customerName}" (home ${h.home})`);
    });

  addShow(program, cmd, hostings);

  cmd
    .command('edit')
    .description('change a hosting\'s offer, default PHP version or server')
    .argument('<ref>', `hosting ${hostings.ref}`)
    .option('--offer <ref>', 'new offer (id or name)')
    .option('--php <version>', 'new default PHP version')
    .option('--server <ref>', 'move to this web server (id or name; "none" to unassign)')
    .action(async (ref: string, o: { offer?: string; php?: string; server?: string }) => {
      const server = o.server === 'none' ? null : o.server;
      const h = await client(program).patch<Item>(path(ref), changes(bodyFrom({ ...o, server }, { offer: 'offerId', php: 'phpVersion', server: 'serverId' }), 'hosting edit'));
      show(program, h, `hosting ${h.name} changed`);
    });

  cmd
    .command('suspend')
    .description('suspend a hosting: its sites answer a "suspended" page and its customer may only read it, until reactivated')
    .argument('<ref>', `hosting ${hostings.ref}`)
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (ref: string, o: { reason?: string }) => {
      const h = await client(program).post<Item>(`${path(ref)}/suspend`, o.reason ? { reason: o.reason } : {});
      show(program, h, `hosting ${h.name} is now ${h.status}`);
    });
  for (const name of ['reactivate', 'unsuspend']) {
    cmd
      .command(name)
      .description(name === 'reactivate' ? 'serve a suspended hosting again' : 'same as reactivate')
      .argument('<ref>', `hosting ${hostings.ref}`)
      .action(async (ref: string) => {
        const h = await client(program).post<Item>(`${path(ref)}/reactivate`);
        show(program, h, `hosting ${h.name} is now ${h.status}`);
      });
  }

  cmd
    .command('terminate')
    .description('terminate a hosting: its sites are removed and stop being served (its files are kept); cannot be undone')
    .argument('<ref>', `hosting ${hostings.ref}`)
    .option('--yes', 'really terminate it')
    .action(async (ref: string, o: { yes?: boolean }) => {
      const api = client(program);
      const h = await api.get<Item>(path(ref));
      if (!o.yes) {
        const sites = await api.get<Page>(`${path(ref)}/sites`, { limit: 1000 });
        const domains = sites.items.map((s) => String(s.domainUnicode ?? s.domain));
        const lost = domains.length
          ? `its ${sites.total} site(s) (${domains.slice(0, 10).join(', ')}${sites.total > 10 ? ', …' : ''}) will be removed and stop being served`
          : 'it has no site';
        throw new CliError(
          `terminating hosting ${h.name} of customer ${h.customerNumber} "${h.customerName}" cannot be undone: ${lost}; its files in ${h.home} are kept. Run again with --yes to do it`,
          'cli.usage',
        );
      }
      const after = await api.delete<Item>(path(ref));
      show(program, after, `hosting ${after.name} terminated`);
    });
}
