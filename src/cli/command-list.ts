// The top-level commands of `abri`, in the order `abri --help` lists them, with their one-line
// descriptions and the group (one module of src/cli, loaded by main.ts) that defines each: `abri X …`
// loads X's group only, and `abri --help` lists every command without loading any implementation.

export const commandList = [
  { name: 'serve', group: 'local', options: true, about: 'start the manager (API, web pages) with the embedded database unless ABRI_DATABASE_URL is set' },
  { name: 'config', group: 'local', about: 'show the effective settings (and, with --help, every ABRI_* setting with its default)' },
  { name: 'admin', group: 'local', about: 'bootstrap administrators (works on the database directly)' },
  { name: 'token', group: 'local', about: 'API tokens' },
  { name: 'customer', group: 'customers', about: 'customers (the people and associations you host)' },
  { name: 'offer', group: 'offers', about: 'offers: plans with a price and quotas' },
  { name: 'hosting', group: 'hostings', about: "hostings: a customer's space on a web server, within an offer" },
  { name: 'site', group: 'sites', about: 'sites: the domains a hosting serves' },
  { name: 'server', group: 'servers', about: "servers: the machines Abri's agents configure" },
  { name: 'user', group: 'users', about: "user accounts (staff and customers' people)" },
  { name: 'audit', group: 'audit', about: 'the audit log: every change, who made it, when and from where' },
  { name: 'zone', group: 'dns', about: "DNS zones: published by the platform's name servers, or marked external" },
  { name: 'record', group: 'dns', about: "records of a zone: the platform's (read-only) and your own" },
  { name: 'cert', group: 'cert', about: "certificates: automatic (ACME) or uploaded, and the platform's wildcard" },
  { name: 'db', group: 'databases', about: 'MariaDB databases of a hosting (named <hosting>_<name>)' },
  { name: 'db-user', group: 'databases', about: 'MariaDB users of a hosting: every privilege on the databases of their hosting they are given' },
  { name: 'sftp-user', group: 'sftp', about: 'SFTP users of a hosting (named <hosting>-<name>), chrooted to a folder of it' },
  { name: 'ftp-user', group: 'ftp', about: 'FTP users of a hosting (named <hosting>-<name>, FTPS), chrooted to a folder of it' },
  { name: 'mail-domain', group: 'mail', about: 'mail domains of a hosting (its site domains and aliases that receive mail)' },
  { name: 'mailbox', group: 'mail', about: 'mailboxes of a mail domain (IMAP, POP3, SMTP submission), with a quota each' },
  { name: 'mail-alias', group: 'mail', about: 'aliases (forwards) of a mail domain' },
  { name: 'mail-held', group: 'mail', about: 'mail held for sending more than the offer allows (staff): list, show, release, delete' },
  { name: 'cron', group: 'cron', about: 'scheduled tasks of a hosting: commands run in its jail on a crontab schedule (UTC)' },
  { name: 'snapshot', group: 'snapshots', about: "read-only snapshots of a hosting's home, in its backups/ folder (taken by its web server)" },
  {
    name: 'backup',
    group: 'backups',
    about:
      'off-server backups of hostings (restic on a backup server, made daily: files by their web servers, databases and mailboxes by the servers holding them)',
  },
  { name: 'work', group: 'works', about: 'works told to customers and on the public page: maintenances, evolutions, incidents' },
  { name: 'login', group: 'login', options: true, about: 'log in to the manager (ABRI_API_URL or --api) and save an API token for the other commands' },
  { name: 'agent', group: 'agent', options: true, about: 'run the agent of this server: long-poll the manager for its desired state, apply it, report' },
  { name: 'job', group: 'jobs', about: 'background jobs (staff): what runs, when, its last error; run one again' },
  { name: 'outbox', group: 'outbox', about: "the platform's outgoing e-mail (staff): invitations, activation links, password resets; failures and why" },
  { name: 'platform', group: 'platform', about: 'the platform as a whole' },
  { name: 'invoice', group: 'billing', about: 'invoices, proformas and credit notes: list, show, download; staff issue and credit' },
  { name: 'billing', group: 'billing', about: "billing settings (staff): the seller's legal details, VAT, payment terms; a hosting's service" },
  { name: 'service', group: 'billing', about: "a hosting's service: change its offer (prorated), end it at term or early, keep it" },
  { name: 'card', group: 'card', about: 'card payments through Stripe: the page to pay an invoice on; staff refunds through Stripe' },
  { name: 'dunning', group: 'dunning', about: 'reminders, suspension and termination of unpaid invoices; a payment lifts the suspension' },
  { name: 'payment', group: 'payments', about: 'payments of invoices (staff): record cheques, cash, transfers and refunds; list them' },
  {
    name: 'order',
    group: 'orders',
    about: "orders of offers: a customer's owner orders and pays the first invoice; paid, the hosting is made by itself",
  },
  {
    name: 'provisioning',
    group: 'provisioning',
    about: "a billing tool's calls (WHMCS, FOSSBilling) by its own service ids: create, suspend, unsuspend, terminate, change offer; idempotent",
  },
] as const;

export type CommandName = (typeof commandList)[number]['name'];
export type CommandGroup = (typeof commandList)[number]['group'];

/** The description of each top-level command (the modules that define them give it to commander). */
export const about = Object.fromEntries(commandList.map((c) => [c.name, c.about])) as Record<CommandName, string>;

/** Program-wide options that take a value: the word after them is not a command. */
const withValue = new Set(['--api', '--token']);

/**
 * The group of the top-level command these arguments run (`abri [options] X …` or `abri help X`), or
 * null (none, or a name commander will refuse): the only group main.ts loads.
 */
export function groupToRun(args: readonly string[]): CommandGroup | null {
  const words: string[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (withValue.has(a)) i++;
      continue;
    }
    words.push(a);
  }
  const name = words[0] === 'help' ? words[1] : words[0];
  return commandList.find((c) => c.name === name)?.group ?? null;
}
