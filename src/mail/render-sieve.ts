// Pure rendering of Sieve on a mail server (Dovecot Pigeonhole): the out-of-office reply of a
// mailbox as a Sieve script, and the part of dovecot.conf that runs Sieve at delivery (LMTP) and
// serves ManageSieve. How the scripts combine: Abri's reply is the mailbox's `sieve_before` script
// (a file of Abri's, outside the mailbox's home, readable by the hosting's uid, not writable), set
// per mailbox in the userdb; the customer's own scripts (ManageSieve, stored in the mailbox's home
// as its uid, with a quota) run after it, the active one deciding where the message is filed.
// Customers' text is only ever written inside a Sieve string, escaped: it is sent literally and can
// never become Sieve code. Replies go out with a null sender through Postfix's `replies` listener on
// 127.0.0.1 (null sender only, one recipient), and Pigeonhole never answers lists, bounces
// or automatic replies.
import { renderError, safeInt, safePath, safeUserName } from '../platform/render.js';
import { VACATION_DAYS } from './model-vacation.js';
import { isMailAddress } from './rules.js';

export interface VacationSpec {
  subject: string; message: string; startsOn: string | null; endsOn: string | null;
  /** the aliases that forward to the mailbox: mail naming them (To/Cc) is answered too */
  aliases?: string[];
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// what the API refuses in a vacation text: control characters (but \n in the message), lone surrogates
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A Sieve quoted string (RFC 5228 2.4.2): only `"` and `\` need escaping; line breaks stay in it. */
export function sieveString(value: string): string {
  return `"${value.replace(/\r\n?/g, '\n').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Where Abri keeps a mailbox's reply: <sieve dir>/<hosting>/<mailbox id>.sieve (compiled beside it, .svbin). */
export const vacationScriptPath = (sieveDir: string, hosting: string, id: string) => `${sieveDir}/${hosting}/${id}.sieve`;

export function renderVacationScript(v: VacationSpec): string {
  if (typeof v.subject !== 'string' || !v.subject.trim() || v.subject.length > 200 || CONTROL.test(v.subject) || v.subject.includes('\n')) {
    throw renderError('vacation subject', v.subject, 'must be one line of at most 200 characters without control characters');
  }
  if (typeof v.message !== 'string' || !v.message.trim() || v.message.length > 5000 || CONTROL.test(v.message.replace(/\r\n/g, '\n'))) {
    throw renderError('vacation message', v.message.slice(0, 100), 'must be a text of at most 5000 characters without control characters');
  }
  for (const d of [v.startsOn, v.endsOn]) if (d !== null && !DAY.test(d)) throw renderError('vacation day', d, 'must be YYYY-MM-DD');
  const when = [
    ...(v.startsOn ? [`currentdate :zone "+0000" :value "ge" "date" "${v.startsOn}"`] : []),
    ...(v.endsOn ? [`currentdate :zone "+0000" :value "le" "date" "${v.endsOn}"`] : []),
  ];
  const aliases = [...new Set(v.aliases ?? [])].sort();
  for (const a of aliases) if (!isMailAddress(a)) throw renderError('alias of the mailbox', a, 'not an address Abri makes');
  const pad = when.length ? '  ' : '';
  const addresses = aliases.length ? ` :addresses [${aliases.map(sieveString).join(', ')}]` : '';
  const action = `${pad}vacation :days ${VACATION_DAYS}${addresses} :subject ${sieveString(v.subject)}\n${pad}  ${sieveString(v.message)};`;
  const body = when.length ? `if allof(${when.join(',\n         ')}) {\n${action}\n}` : action;
  return `# Rendered by Abri: the mailbox's out-of-office reply (changes here are overwritten).
require ["vacation", "date", "relational"];
${body}
`;
}

/** The userdb field that runs the mailbox's reply before its own scripts. */
export const sieveBeforeField = (sieveDir: string, hosting: string, id: string) =>
  `userdb_sieve_before=${vacationScriptPath(safePath('Sieve directory', sieveDir), safeUserName('hosting name', hosting), id)}`;

/** Sieve settings of dovecot.conf: Sieve at delivery, ManageSieve with STARTTLS, per-mailbox script quota, replies through Postfix. */
export function sieveConf(ports: { sieve: number; replies: number }): string {
  return `protocols = $protocols sieve
# out-of-office replies (null sender) through Postfix's internal listener
submission_host = 127.0.0.1:${safeInt('replies port', ports.replies, 1, 65535)}
service managesieve-login {
  inet_listener sieve {
    port = ${safeInt('sieve port', ports.sieve, 1, 65535)}
  }
}
protocol sieve {
  # no sign-in before STARTTLS, even from the machine itself
  ssl = required
  managesieve_max_line_length = 65536
}
plugin {
  # the mailbox's own scripts (ManageSieve) in its home, as the hosting's uid; the active one is a link
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_max_script_size = 64K
  sieve_quota_max_scripts = 20
  sieve_quota_max_storage = 1M
  sieve_max_actions = 32
  # no mail leaves but the replies: forwards are aliases (their sender rewritten), not Sieve redirects or
  # notifications; no rejects either (after delivery they are bounces to senders that are often forged)
  sieve_max_redirects = 0
  sieve_extensions = -enotify -notify -reject -ereject
  sieve_vacation_min_period = 1d
  sieve_vacation_max_period = 30d
  sieve_vacation_default_period = ${VACATION_DAYS}d
  sieve_vacation_send_from_recipient = no
}
`;
}
