// `abri provisioning …` (staff): the calls a billing tool (WHMCS, FOSSBilling) makes, by its own ids,
// from a shell: show, create, suspend, unsuspend, terminate, change offer. Each is idempotent.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { client, seg, show, type Item } from './command-kit.js';

const pathOf = (ref: string) => `/api/v1/provisioning/hostings/${seg(ref)}`;
const headline = (h: Item) =>
  `service ${String(h.ref)} (client ${String(h.customerRef)}): hosting ${String(h.name)}, offer ${String(h.offerName)}, ${String(h.status)}`;

export function registerProvisioningCommands(program: Command) {
  const cmd = program.command('provisioning').description(about.provisioning);
  const ref = (c: Command) => c.argument('<ref>', "the billing tool's service id");

  ref(cmd.command('show').description("a service's hosting, its status and provisioning state"))
    .action(async (r: string) => {
      const h = await client(program).get<Item>(pathOf(r));
      show(program, h, headline(h));
    });

  ref(cmd.command('create').description('create the hosting of a service (and its customer, if the client id is new); the same call again changes nothing'))
    .requiredOption('--customer <ref>', "the billing tool's client id")
    .requiredOption('--name <name>', "the customer's name (used when the client id is new)")
    .requiredOption('--email <email>', "the customer's contact e-mail (used when the client id is new)")
    .requiredOption('--offer <ref>', 'the offer (id or name)')
    .option('--domain <domain>', "the first site's domain, made with the hosting")
    .action(async (r: string, o: { customer: string; name: string; email: string; offer: string; domain?: string }) => {
      const h = await client(program).put<Item>(pathOf(r), { customer: { ref: o.customer, name: o.name, contactEmail: o.email }, offer: o.offer, domain: o.domain });
      show(program, h, headline(h));
    });

  ref(cmd.command('suspend').description("suspend a service's hosting (suspended already: nothing changes)"))
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (r: string, o: { reason?: string }) => {
      const h = await client(program).post<Item>(`${pathOf(r)}/suspend`, { reason: o.reason });
      show(program, h, headline(h));
    });

  for (const [verb, what] of [['unsuspend', 'reactivate a service\'s hosting (active already: nothing changes)'], ['terminate', 'terminate a service\'s hosting, its files kept (terminated already: nothing changes)']] as const) {
    ref(cmd.command(verb).description(what)).action(async (r: string) => {
      const h = await client(program).post<Item>(`${pathOf(r)}/${verb}`);
      show(program, h, headline(h));
    });
  }

  ref(cmd.command('offer').description("move a service's hosting to another offer, without invoicing (the billing tool invoices)"))
    .argument('<offer>', 'the offer (id or name)')
    .action(async (r: string, offer: string) => {
      const h = await client(program).put<Item>(`${pathOf(r)}/offer`, { offer });
      show(program, h, headline(h));
    });
}
