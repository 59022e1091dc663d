// Pure rendering of Abri's Postfix on a mail server: main.cf, master.cf and the lookup tables
// (texthash: read whole at each start or reload, no postmap step). The instance has its own config,
// queue and data directories and listens only on the configured address and ports: the machine's
// own MTA (if any) is never touched. No open relay: mail is accepted for the mail domains only,
// unless the client authenticated (submission and smtps, through Dovecot's SASL, TLS only), and an
// authenticated client sends only as its own address. Every value is checked before it is written.
import type { RenderedFile } from '../platform/render.js';
import { byKey, renderError, safeInt, safePath, safeToken } from '../platform/render.js';
import type { MailPorts } from '../platform/config-mail.js';
import { isDestination, isMailAddress, isMailDomain } from './rules.js';
import type { VacationSpec } from './render-sieve.js';
import { certificateNote } from './render-mail-cert.js';
import { aliasKey, catchAllRows, isCatchAll, rateMainSettings, rateRestriction, srsMainSettings, srsMasterServices, srsSmtpOptions, type MailLimitsSpec } from './render-mail-limits.js';
import { endedRestriction, renderEnded, type MailEndedSpec } from './render-mail-ended.js';
import type { QuotaWarningPlace } from './render-quota-warning.js';

/** What the mail renderers need: the node's paths and settings, and the checked desired objects. */
export interface MailNodeSpec extends MailLimitsSpec, MailEndedSpec {
  paths: {
    postfixDir: string; queueDir: string; dataDir: string; dovecotDir: string; baseDir: string;
    vmailDir: string; certFile: string; postfixLog: string; dovecotLog: string; sieveDir: string;
  };
  hostname: string;
  bind: string;
  ports: MailPorts;
  relayhost: string;
  domains: string[];
  mailboxes: Array<{ id: string; address: string; hosting: string; uid: number; passwordHash: string; quotaMb: number; active: boolean; appPasswords?: string[]; locale?: 'fr' | 'en' | null; vacation?: VacationSpec | null }>;
  aliases: Array<{ address: string; destinations: string[] }>;
  /** rspamd's milter socket (spam scores, DKIM signing); absent: no milter */
  milter?: string | null;
  /** where the 90 % quota warning lives and whom it runs as (render-quota-warning.ts) */
  quotaWarning: QuotaWarningPlace;
  /** refused sign-ins: Dovecot's growing delay (absent: the same), or answered at once (ABRI_MAIL_LOGIN_DELAY=none, test machines) */
  loginDelay?: 'dovecot' | 'none';
  /** what certFile holds: the SHA-256 fingerprint of the ACME certificate, or "self-signed" (render-mail-cert.ts) */
  certificate?: string | null;
}

const header = '# Rendered by Abri: changes here are overwritten.\n';
const listen = (spec: MailNodeSpec, port: number) => `${spec.bind.includes(':') ? `[${spec.bind}]` : spec.bind}:${port}`;

/** The part of master.cf that makes a listener take only authenticated clients (submission, smtps). */
const authenticatedOnly = (name: string, spec: MailNodeSpec) => [
  `  -o syslog_name=abri-postfix/${name}`,
  '  -o smtpd_sasl_auth_enable=yes',
  '  -o smtpd_tls_auth_only=yes',
  '  -o smtpd_client_restrictions=permit_sasl_authenticated,reject',
  '  -o smtpd_sender_restrictions=reject_sender_login_mismatch',
  '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject',
  '  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject',
  `  -o smtpd_end_of_data_restrictions=${rateRestriction(spec)}`,
];

function masterCf(spec: MailNodeSpec): string {
  const p = spec.ports;
  const services = [
    // the columns: service type private unpriv chroot wakeup maxproc command; nothing runs chrooted
    `${listen(spec, safeInt('smtp port', p.smtp, 1, 65535))} inet n - n - - smtpd`,
    ...srsSmtpOptions(spec),
    `${listen(spec, safeInt('submission port', p.submission, 1, 65535))} inet n - n - - smtpd`,
    '  -o smtpd_tls_security_level=encrypt',
    ...authenticatedOnly('submission', spec),
    `${listen(spec, safeInt('smtps port', p.smtps, 1, 65535))} inet n - n - - smtpd`,
    '  -o smtpd_tls_wrappermode=yes',
    ...authenticatedOnly('smtps', spec),
    // Dovecot's out-of-office replies (render-sieve.ts): loopback only, null sender only, one recipient
    `127.0.0.1:${safeInt('replies port', p.replies, 1, 65535)} inet n - n - - smtpd`,
    '  -o syslog_name=abri-postfix/replies',
    '  -o mynetworks=127.0.0.0/8',
    '  -o smtpd_client_restrictions=permit_mynetworks,reject',
    '  -o smtpd_sender_restrictions=check_sender_access,inline:{<>=OK},reject',
    '  -o smtpd_relay_restrictions=permit_mynetworks,reject',
    '  -o smtpd_recipient_restrictions=',
    '  -o smtpd_end_of_data_restrictions=',
    '  -o smtpd_recipient_limit=1',
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'proxywrite unix - - n - 1 proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'lmtp unix - - n - - lmtp',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
    ...srsMasterServices(spec),
  ];
  return `${header}${services.join('\n')}\n`;
}

const milterSettings = (socket: string): Array<[string, string]> => [
  ['smtpd_milters', `unix:${safePath('milter socket', socket)}`],
  ['non_smtpd_milters', '$smtpd_milters'],
  ['milter_default_action', 'accept'],
  ['milter_protocol', '6'],
];

function mainCf(spec: MailNodeSpec): string {
  const { paths } = spec;
  const table = (name: string) => `texthash:${safePath('postfix directory', paths.postfixDir)}/${name}`;
  const socket = (name: string) => `${safePath('Dovecot base directory', paths.baseDir)}/${name}`;
  const relayhost = spec.relayhost === '' ? '' : safeToken('relay host', spec.relayhost, /^\[[A-Za-z0-9.:-]+\](?::\d{1,5})?$/);
  const settings: Array<[string, string]> = [
    ['compatibility_level', '3.6'],
    ['queue_directory', safePath('queue directory', paths.queueDir)],
    ['data_directory', safePath('data directory', paths.dataDir)],
    ['mail_owner', 'postfix'],
    ['setgid_group', 'postdrop'],
    ['syslog_name', 'abri-postfix'],
    ['maillog_file', safePath('Postfix log', paths.postfixLog)],
    ['maillog_file_prefixes', paths.postfixLog.slice(0, paths.postfixLog.lastIndexOf('/') + 1)],
    ['myhostname', safeToken('host name', spec.hostname, /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/)],
    ['mydestination', ''],
    ['mynetworks', ''],
    ['inet_interfaces', 'all'],
    ['inet_protocols', spec.bind.includes(':') ? 'all' : 'ipv4'],
    ['relayhost', relayhost],
    ['alias_maps', ''],
    ['alias_database', ''],
    ['local_recipient_maps', ''],
    ['local_transport', 'error:local delivery is disabled'],
    ['biff', 'no'],
    ['append_dot_mydomain', 'no'],
    ['recipient_delimiter', '+'],
    ['disable_vrfy_command', 'yes'],
    ['smtpd_helo_required', 'yes'],
    ['smtpd_banner', '$myhostname ESMTP'],
    ['message_size_limit', '52428800'],
    ['virtual_mailbox_domains', table('domains')],
    ['virtual_mailbox_maps', table('mailboxes')],
    ['virtual_alias_maps', table('aliases')],
    ['virtual_transport', `lmtp:unix:${socket('lmtp')}`],
    ['smtpd_sender_login_maps', table('senders')],
    // one PEM file: the certificate, its chain, then its key
    ...certificateNote(spec),
    ['smtpd_tls_cert_file', safePath('certificate', paths.certFile)],
    ['smtpd_tls_key_file', paths.certFile],
    ['smtpd_tls_security_level', 'may'],
    ['smtpd_tls_auth_only', 'yes'],
    ['smtp_tls_security_level', 'may'],
    ['smtpd_sasl_type', 'dovecot'],
    ['smtpd_sasl_path', socket('auth-postfix')],
    ['smtpd_sasl_auth_enable', 'no'],
    // port 25: mail for our domains only (no relay), refused at once when the mailbox is full
    ['smtpd_relay_restrictions', 'permit_sasl_authenticated, reject_unauth_destination'],
    ['smtpd_recipient_restrictions', `${endedRestriction(spec, table)}reject_unauth_destination, check_policy_service unix:${socket('quota-status')}`],
    ['smtpd_end_of_data_restrictions', `check_policy_service unix:${socket('quota-status')}`],
    // rspamd (render-rspamd.ts) scores what comes in and signs what goes out; when it is down or
    // slow, mail goes on unfiltered and unsigned (accept): never refused or lost because of it
    ...(spec.milter ? milterSettings(spec.milter) : []),
    ...srsMainSettings(spec),
    ...rateMainSettings(spec),
  ];
  return `${header}${settings.map(([k, v]) => (k.startsWith('#') ? `${k}${v}` : v === '' ? `${k} =` : `${k} = ${v}`)).join('\n')}\n`;
}

/** A lookup table: one "key value" line per entry, sorted. */
const lookupTable = (rows: Array<[string, string]>) => `${header}${rows.sort(byKey(([k]) => k)).map(([k, v]) => `${k} ${v}`).join('\n')}\n`;

export function renderPostfix(spec: MailNodeSpec): RenderedFile[] {
  for (const d of spec.domains) if (!isMailDomain(d)) throw renderError('mail domain', d, 'not a normalised domain name');
  for (const b of spec.mailboxes) if (!isMailAddress(b.address)) throw renderError('mailbox address', b.address, 'not an address Abri makes');
  for (const a of spec.aliases) {
    if (!isMailAddress(a.address) && !isCatchAll(a.address)) throw renderError('alias address', a.address, 'not an address Abri makes');
    for (const d of a.destinations) if (!isDestination(d)) throw renderError('alias destination', d, 'not an email address');
  }
  return [
    { path: 'main.cf', content: mainCf(spec), mode: 0o644 },
    { path: 'master.cf', content: masterCf(spec), mode: 0o644 },
    { path: 'domains', content: lookupTable(spec.domains.map((d) => [d, 'OK'])), mode: 0o644 },
    { path: 'mailboxes', content: lookupTable(spec.mailboxes.map((b) => [b.address, 'OK'])), mode: 0o644 },
    // who may send as an address: its own mailbox (login = address)
    { path: 'senders', content: lookupTable(spec.mailboxes.map((b) => [b.address, b.address])), mode: 0o644 },
    { path: 'aliases', content: lookupTable([...spec.aliases.map((a): [string, string] => [aliasKey(a.address), a.destinations.join(', ')]), ...catchAllRows(spec.aliases, spec.mailboxes)]), mode: 0o644 },
    ...renderEnded(spec),
  ];
}
