// `abri offer …`: the catalogue of plans, with their price and quotas. What an option left out of
// `offer add` gets is decided by the manager (offerDefaults, the same for the API and the UI).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { billingCycles, offerDefaults } from '../offers/rules.js';
import { vatBody, vatRate } from './commands-billing.js';
import { addList, addRemove, addShow, bodyFrom, changes, client, commaList, euros, oneOf, seg, show, whole, type Item, type Resource } from './command-kit.js';

const offers: Resource = {
  noun: 'offer',
  path: '/api/v1/offers',
  ref: 'id or name',
  columns: ['name', 'price', 'billingCycle', 'diskMb', 'maxSites', 'maxMailboxes', 'maxDatabases', 'phpVersions', 'archived'],
  sorts: 'name, priceCents, diskMb, createdAt',
  row: (o) => ({ ...o, price: `${(Number(o.priceCents) / 100).toFixed(2)} ${String(o.currency)}` }),
  label: (o) => `"${String(o.name)}"`,
};

/** Quota options: flag, API field, description. */
const quotas = [
  ['disk-mb', 'diskMb', 'web disk space, in MB'],
  ['max-sites', 'maxSites', 'sites per hosting'],
  ['max-mailboxes', 'maxMailboxes', 'mailboxes'],
  ['mail-mb', 'mailMb', 'mail space, in MB'],
  ['max-databases', 'maxDatabases', 'databases'],
  ['database-mb', 'databaseMb', 'database space, in MB'],
  ['max-ftp-users', 'maxFtpUsers', 'FTP accounts'],
  ['php-max-children', 'phpMaxChildren', 'PHP-FPM processes a hosting may run at once'],
  ['php-memory-mb', 'phpMemoryMb', 'PHP memory_limit, in MB (the most a site may set)'],
  ['php-upload-max-mb', 'phpUploadMaxMb', 'the most a site may set PHP upload_max_filesize and post_max_size to, in MB'],
  ['php-max-execution-seconds', 'phpMaxExecutionSeconds', 'the most a site may set PHP max_execution_time to, in seconds'],
  ['max-cron-tasks', 'maxCronTasks', 'scheduled (cron) tasks per hosting'],
  ['cron-max-run-seconds', 'cronMaxRunSeconds', 'the longest time limit a scheduled task may set, in seconds'],
  ['mail-send-per-hour', 'mailSendPerHour', 'messages each mailbox may send per hour (past it, its mail is held for staff)'],
  ['mail-send-per-day', 'mailSendPerDay', 'messages each mailbox may send per day (past it, its mail is held for staff)'],
  ['snapshots-hourly', 'snapshotsHourly', 'hourly snapshots of a home kept (0: none)'],
  ['snapshots-daily', 'snapshotsDaily', 'daily snapshots kept, taken at 05:00 UTC (0: none)'],
  ['snapshots-weekly', 'snapshotsWeekly', 'weekly snapshots kept, taken on Sunday at 07:00 UTC (0: none)'],
  ['snapshots-monthly', 'snapshotsMonthly', 'monthly snapshots kept, taken on the 1st at 08:00 UTC (0: none)'],
  ['backup-keep-daily', 'backupKeepDaily', 'daily backups kept on the backup server (at least 1)'],
  ['backup-keep-weekly', 'backupKeepWeekly', 'weekly backups kept on the backup server beyond the daily ones (0: none)'],
] as const;
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const fields: Record<string, string> = {
  name: 'name',
  price: 'priceCents',
  currency: 'currency',
  cycle: 'billingCycle',
  vatRate: 'vatRateBp',
  ssh: 'sshAllowed',
  tls: 'tlsAllowed',
  php: 'phpVersions',
  archived: 'archived',
  selfService: 'selfService',
  orderable: 'orderable',
  ...Object.fromEntries(quotas.map(([flag, field]) => [camel(flag), field])),
};

/** The options of `offer add` (name and price required, the defaults shown) and `offer edit` (all optional). */
function offerOptions(cmd: Command, add: boolean): Command {
  const dflt = (v: unknown) => (add ? ` (default ${String(v)})` : '');
  const needed = add ? cmd.requiredOption.bind(cmd) : cmd.option.bind(cmd);
  needed('--name <name>', add ? 'name of the offer' : 'new name');
  needed('--price <euros>', 'price per billing cycle, e.g. 4.99', euros);
  cmd
    .option('--currency <code>', `ISO 4217 currency${dflt(offerDefaults.currency)}`)
    .option('--cycle <cycle>', `billing cycle: ${billingCycles.join(', ')}${dflt(offerDefaults.billingCycle)}`, oneOf(billingCycles))
    .option('--vat-rate <percent>', `VAT rate of its invoices, e.g. 20 or 5.5, or "default" (the seller's)${dflt('default')}`, vatRate);
  for (const [flag, field, description] of quotas) cmd.option(`--${flag} <n>`, description + dflt(offerDefaults[field]), whole);
  cmd
    .option('--ssh', `allow SSH access${add && offerDefaults.sshAllowed ? ' (the default)' : ''}`)
    .option('--no-ssh', `no SSH access${add && !offerDefaults.sshAllowed ? ' (the default)' : ''}`)
    .option('--tls', `allow HTTPS${add && offerDefaults.tlsAllowed ? ' (the default)' : ''}`)
    .option('--no-tls', `no HTTPS${add && !offerDefaults.tlsAllowed ? ' (the default)' : ''}`)
    .option('--self-service', 'customers may move their hostings to it by themselves (prorated)')
    .option('--no-self-service', `only staff move hostings to it${add ? ' (the default)' : ''}`)
    .option('--orderable', "shown on the public order page and in the customers' area, to be ordered")
    .option('--no-orderable', `not offered to order${add ? ' (the default)' : ''}`)
    .option('--php <versions>', `allowed PHP versions, comma-separated, e.g. 8.2,8.3${dflt("every version of the platform's ABRI_PHP_VERSIONS")}`, commaList);
  if (!add) cmd.option('--archived', 'archive: keep it on its hostings, stop offering it').option('--no-archived', 'offer it again');
  return cmd;
}

export function registerOfferCommands(program: Command) {
  const cmd = program.command('offer').description(about.offer);

  addList(program, cmd, offers);

  offerOptions(cmd.command('add').description('create an offer'), true).action(async (o: Item) => {
    const offer = await client(program).post<Item>(offers.path, vatBody(bodyFrom(o, fields)));
    show(program, offer, `offer ${offers.label(offer)} created`);
  });

  addShow(program, cmd, offers);

  offerOptions(cmd.command('edit').description('change an offer').argument('<ref>', `offer ${offers.ref}`), false).action(async (ref: string, o: Item) => {
    const offer = await client(program).patch<Item>(`${offers.path}/${seg(ref)}`, changes(vatBody(bodyFrom(o, fields)), 'offer edit'));
    show(program, offer, `offer ${offers.label(offer)} changed`);
  });

  addRemove(program, cmd, offers, 'delete an offer no hosting uses (archive it with `offer edit --archived` otherwise)');
}
