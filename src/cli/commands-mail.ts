// `abri mail-domain …`, `abri mailbox …`, `abri mail-alias …`: the mail of a hosting. A mail domain
// is a site domain or alias of the hosting; mailboxes and aliases are addresses of it. A generated
// password is printed once (a given one is never echoed).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { registerAppPasswordCommands } from './commands-mail-apps.js';
import { registerVacation } from './commands-vacation.js';
import { registerHeldCommands } from './commands-mail-held.js';
import { addRemove, addShow, client, listQuery, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print } from './output.js';

const status = (o: Item) => (o.provisioning as { status?: string } | undefined)?.status ?? '';
const MB = 1024 * 1024;

const domains: Resource = {
  noun: 'mail domain', path: '/api/v1/mail-domains', ref: 'id or name (example.org)',
  columns: ['name', 'host', 'mailboxes', 'aliases', 'status'], sorts: 'name, createdAt',
  row: (d) => ({ ...d, host: (d.server as { host?: string } | undefined)?.host ?? '', status: status(d) }),
  label: (d) => String(d.name),
};
const mailboxes: Resource = {
  noun: 'mailbox', path: '/api/v1/mailboxes', ref: 'id or address (joe@example.org)',
  columns: ['address', 'quota', 'used', 'state', 'status'], sorts: 'localPart, createdAt, quotaMb',
  row: (b) => ({
    ...b, quota: `${b.quotaMb} MB`, used: b.usedBytes === null ? '' : `${(Number(b.usedBytes) / MB).toFixed(1)} MB`,
    state: `${b.locked ? 'locked (hosting not active)' : b.enabled ? 'enabled' : 'disabled'}${Number(b.sendingHeld) ? `, ${String(b.sendingHeld)} message(s) held` : ''}`, status: status(b),
  }),
  label: (b) => String(b.address),
};
const aliases: Resource = {
  noun: 'mail alias', path: '/api/v1/mail-aliases', ref: 'id or address (contact@example.org)',
  columns: ['address', 'destinations', 'status'], sorts: 'localPart, createdAt',
  row: (a) => ({ ...a, destinations: (a.destinations as string[]).join(', '), status: status(a) }),
  label: (a) => String(a.address),
};

const settings = (b: Item) => {
  const s = b.server as { host: string; ports: Record<string, number> };
  return `IMAP ${s.host}:${s.ports.imaps} (TLS) or ${s.ports.imap} (STARTTLS), SMTP ${s.host}:${s.ports.submission} (STARTTLS) or ${s.ports.smtps} (TLS), filters (ManageSieve) ${s.host}:${s.ports.sieve} (STARTTLS), login ${b.address}`;
};
/** The records to set at the domain's DNS host when the platform does not publish its zone. */
const dnsToSet = (d: Item) => {
  const dns = d.dns as { managed: boolean; records: Array<{ name: string; type: string; content: string }> };
  if (!dns.records.length) return '; no DNS records: the mail server\'s name is not a host name (name it like mail1.example.net, or set ABRI_PLATFORM_DOMAIN)';
  if (dns.managed) return '; its DNS records (MX, SPF, DMARC, DKIM, SRV…) are published by the platform';
  return `\nits DNS is elsewhere: set these records there (abri zone check shows whether they are)\n${dns.records.map((r) => `  ${r.name} ${r.type} ${r.content}`).join('\n')}`;
};
type DkimKeys = { selector: string; keys: Array<{ selector: string; signing: boolean; name: string; content: string; publishedUntil: string | null }> };
/** After a rotation: the new selector, the previous keys' end, and the record to set when the DNS is elsewhere. */
const dkimRotated = (d: Item) => {
  const { selector, keys } = d.dkim as DkimKeys;
  const old = keys.filter((k) => !k.signing).map((k) => `${k.selector} until ${k.publishedUntil}`);
  const signing = keys.find((k) => k.signing)!;
  const external = !(d.dns as { managed: boolean }).managed ? `\nits DNS is elsewhere: publish this record there\n  ${signing.name} TXT ${signing.content}` : '';
  return `${selector}${old.length ? `; still published: ${old.join(', ')}` : ''}${external}`;
};

/** Where mailboxes read their mail in a browser, when the platform has a webmail. */
const webmail = async (program: Command) => {
  const url = (await client(program).get<Item>('/api/v1/platform')).webmailUrl;
  return url ? `, webmail ${String(url)}` : '';
};
const shownOnce = (b: Item) => (b.newPassword ? '; its password is shown only this once: keep it (abri mailbox passwd makes a new one)' : '');

function registerDomains(program: Command) {
  const cmd = program.command('mail-domain').description(about['mail-domain']);
  withListOptions(cmd.command('list').description('list the mail domains of a hosting'), domains.sorts)
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (o: ListOptions & { hosting: string }) => printList(program, domains, await client(program).get<Page>(`/api/v1/hostings/${seg(o.hosting)}/mail-domains`, listQuery(o))));
  cmd.command('add').description('receive mail for a site domain or alias of the hosting')
    .argument('<name>', 'a domain or alias of one of the hosting\'s sites')
    .requiredOption('--hosting <ref>', 'hosting id or system name')
    .action(async (name: string, o: { hosting: string }) => {
      const d = await client(program).post<Item>(`/api/v1/hostings/${seg(o.hosting)}/mail-domains`, { name });
      show(program, d, `mail domain ${d.name} added on ${(d.server as { host: string }).host}${dnsToSet(d)}`);
    });
  addShow(program, cmd, domains);
  addRemove(program, cmd, domains, 'stop receiving mail for a domain (its mailboxes and aliases are removed with it)');
  cmd.command('dkim-rotate').description('sign the domain\'s mail with a new DKIM key (new selector); the previous key stays published for 7 days')
    .argument('<ref>', domains.ref)
    .action(async (ref: string) => {
      const d = await client(program).post<Item>(`/api/v1/mail-domains/${seg(ref)}/dkim/rotate`);
      print(program, d, `mail domain ${d.name} signs with the DKIM key ${dkimRotated(d)}`);
    });
}

function registerMailboxes(program: Command) {
  const cmd = program.command('mailbox').description(about.mailbox);
  withListOptions(cmd.command('list').description('list the mailboxes of a mail domain, with the space each uses'), mailboxes.sorts)
    .requiredOption('--domain <ref>', 'mail domain id or name')
    .action(async (o: ListOptions & { domain: string }) => printList(program, mailboxes, await client(program).get<Page>(`/api/v1/mail-domains/${seg(o.domain)}/mailboxes`, listQuery(o))));
  cmd.command('add').description('create a mailbox; prints its generated password once (or give one with --password-stdin)')
    .argument('<address>', 'the new address, e.g. joe@example.org (its domain must be a mail domain of the hosting)')
    .requiredOption('--quota <MB>', 'its space in MB (the hosting\'s mailboxes together stay within the offer)')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (address: string, o: { quota: string; passwordStdin?: boolean }) => {
      const at = address.lastIndexOf('@');
      const password = o.passwordStdin ? await readStdin() : undefined;
      const b = await client(program).post<Item>(`/api/v1/mail-domains/${seg(address.slice(at + 1))}/mailboxes`, { localPart: address.slice(0, Math.max(0, at)), quotaMb: Number(o.quota), ...(password ? { password } : {}) });
      show(program, b, `mailbox ${b.address} created: ${settings(b)}${await webmail(program)}${shownOnce(b)}`);
    });
  addShow(program, cmd, mailboxes);
  cmd.command('passwd').description('give a mailbox a new password (generated and printed once, or read with --password-stdin)')
    .argument('<ref>', `mailbox ${mailboxes.ref}`)
    .option('--password-stdin', 'read the password from standard input')
    .action(async (ref: string, o: { passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : undefined;
      const b = await client(program).post<Item>(`${mailboxes.path}/${seg(ref)}/password`, password ? { password } : {});
      show(program, b, `mailbox ${b.address}: new password${shownOnce(b)}`);
    });
  cmd.command('set').description('change a mailbox\'s quota, or disable/enable its sign-in')
    .argument('<ref>', `mailbox ${mailboxes.ref}`)
    .option('--quota <MB>', 'its space in MB')
    .option('--enable', 'it may sign in')
    .option('--disable', 'it may no longer sign in (it still receives mail)')
    .action(async (ref: string, o: { quota?: string; enable?: boolean; disable?: boolean }) => {
      const body = { ...(o.quota !== undefined ? { quotaMb: Number(o.quota) } : {}), ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}) };
      const b = await client(program).patch<Item>(`${mailboxes.path}/${seg(ref)}`, body);
      show(program, b, `mailbox ${b.address} changed`);
    });
  registerVacation(program, cmd);
  addRemove(program, cmd, mailboxes, 'remove a mailbox (mail to it is refused from then on)');
  registerAppPasswordCommands(program, cmd);
}

function registerAliases(program: Command) {
  const cmd = program.command('mail-alias').description(about['mail-alias']);
  withListOptions(cmd.command('list').description('list the aliases of a mail domain'), aliases.sorts)
    .requiredOption('--domain <ref>', 'mail domain id or name')
    .action(async (o: ListOptions & { domain: string }) => printList(program, aliases, await client(program).get<Page>(`/api/v1/mail-domains/${seg(o.domain)}/aliases`, listQuery(o))));
  cmd.command('add').description('forward an address of a mail domain to one or more addresses; *@example.org is the catch-all (any address that is no mailbox or alias)')
    .argument('<address>', 'the alias, e.g. contact@example.org, or *@example.org')
    .argument('<destinations...>', 'where its mail goes')
    .action(async (address: string, destinations: string[]) => {
      const at = address.lastIndexOf('@');
      const a = await client(program).post<Item>(`/api/v1/mail-domains/${seg(address.slice(at + 1))}/aliases`, { localPart: address.slice(0, Math.max(0, at)), destinations });
      show(program, a, `mail alias ${a.address} → ${(a.destinations as string[]).join(', ')}`);
    });
  addShow(program, cmd, aliases);
  addRemove(program, cmd, aliases, 'remove a mail alias');
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

export function registerMailCommands(program: Command) {
  registerDomains(program);
  registerMailboxes(program);
  registerAliases(program);
  registerHeldCommands(program);
}
