// `abri offer …`: the catalogue of plans, with their price and quotas.
import type { Command } from 'commander';
import { loadConfig } from '../platform/config.js';
import { addList, addRemove, addShow, bodyFrom, changes, client, commaList, euros, oneOf, seg, show, whole, type Item, type Resource } from './command-kit.js';

const offers: Resource = {
  noun: 'offer',
  path: '/api/v1/offers',
  ref: 'id or name',
  columns: ['name', 'price', 'billingCycle', 'diskMb', 'maxSites', 'maxMailboxes', 'maxDatabases', 'phpVersions', 'archived'],
  sorts: 'name, priceCents, diskMb, createdAt',
  row: (o) => ({ ...o, price: `${(Number(o.priceCents) / 100).toFixed(2)} ${o.currency}` }),
  label: (o) => `"${o.name}"`,
};

const cycles = ['monthly', 'quarterly', 'yearly'] as const;

/** Quota options: flag, API field, description, default for `offer add` (undefined: the manager's default). */
const quotas: [flag: string, field: string, description: string, fallback: number | undefined][] = [
  ['disk-mb', 'diskMb', 'web disk space, in MB', 1000],
  ['max-sites', 'maxSites', 'sites per hosting', 1],
  ['max-mailboxes', 'maxMailboxes', 'mailboxes', 5],
  ['mail-mb', 'mailMb', 'mail space, in MB', 1000],
  ['max-databases', 'maxDatabases', 'databases', 1],
  ['database-mb', 'databaseMb', 'database space, in MB', 500],
  ['max-ftp-users', 'maxFtpUsers', 'FTP accounts', 1],
  ['php-max-children', 'phpMaxChildren', 'PHP-FPM processes a hosting may run at once', undefined],
  ['php-memory-mb', 'phpMemoryMb', 'PHP memory_limit, in MB', undefined],
];
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const fields: Record<string, string> = {
  name: 'name', price: 'priceCents', currency: 'currency', cycle: 'billingCycle', ssh: 'sshAllowed', tls: 'tlsAllowed',
  php: 'phpVersions', archived: 'archived', ...Object.fromEntries(quotas.map(([flag, field]) => [camel(flag), field])),
};

/** The options of `offer add` (required name and price; defaults shown and applied) and `offer edit` (all optional). */
function offerOptions(cmd: Command, add: boolean): Command {
  const dflt = (v: unknown) => (add ? ` (default ${v})` : '');
  const needed = add ? cmd.requiredOption.bind(cmd) : cmd.option.bind(cmd);
  needed('--name <name>', add ? 'name of the offer' : 'new name');
  needed('--price <euros>', 'price per billing cycle, e.g. 4.99', euros);
  cmd
    .option('--currency <code>', `ISO 4217 currency${dflt('EUR')}`)
    .option('--cycle <cycle>', `billing cycle: ${cycles.join(', ')}${dflt('monthly')}`, oneOf(cycles));
  for (const [flag, , description, fallback] of quotas) cmd.option(`--${flag} <n>`, description + dflt(fallback ?? 'set by the manager'), whole);
  cmd
    .option('--ssh', 'allow SSH access')
    .option('--no-ssh', `no SSH access${add ? ' (the default)' : ''}`)
    .option('--tls', `allow HTTPS${add ? ' (the default)' : ''}`)
    .option('--no-tls', 'no HTTPS')
    .option('--php <versions>', `allowed PHP versions, comma-separated, e.g. 8.2,8.3${dflt('ABRI_PHP_VERSIONS')}`, commaList);
  if (!add) cmd.option('--archived', 'archive: keep it on its hostings, stop offering it').option('--no-archived', 'offer it again');
  return cmd;
}

const defaults = (): Item => ({
  cycle: 'monthly',
  ssh: false,
  tls: true,
  php: loadConfig().phpVersions,
  ...Object.fromEntries(quotas.map(([flag, , , fallback]) => [camel(flag), fallback])),
});

export function registerOfferCommands(program: Command) {
  const cmd = program.command('offer').description('offers: plans with a price and quotas');

  addList(program, cmd, offers);

  offerOptions(cmd.command('add').description('create an offer'), true)
    .action(async (o: Item) => {
      const offer = await client(program).post<Item>(offers.path, { ...bodyFrom(defaults(), fields), ...bodyFrom(o, fields) });
      show(program, offer, `offer ${offers.label(offer)} created`);
    });

  addShow(program, cmd, offers);

  offerOptions(cmd.command('edit').description('change an offer').argument('<ref>', `offer ${offers.ref}`), false)
    .action(async (ref: string, o: Item) => {
      const offer = await client(program).patch<Item>(`${offers.path}/${seg(ref)}`, changes(bodyFrom(o, fields), 'offer edit'));
      show(program, offer, `offer ${offers.label(offer)} changed`);
    });

  addRemove(program, cmd, offers, 'delete an offer no hosting uses (archive it with `offer edit --archived` otherwise)');
}
