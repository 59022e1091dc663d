// Pure rendering of the 90 % quota warning of a mail server: the script Dovecot runs when a mailbox
// crosses 90 % of its quota (`quota-warning 90 <address>`; Dovecot runs it once per crossing, not again
// until the usage went back under and over), the table of each mailbox's language (its hosting's
// customer's, or both when unknown), and Dovecot's service for it. Least privilege: the script runs as a
// system user of its own (ABRI_MAIL_WARN_USER, never root), reads its table in a directory of that
// user's group, and hands the message to Abri's Postfix over SMTP on its loopback listener for null-sender
// replies (no sendmail: Postfix lets only root use another instance's configuration). Its socket is
// reachable by Dovecot's mail processes only (they get the user's group, mail_access_groups), not by
// every local user; an address that is not a mailbox of the table gets nothing.
import type { RenderedFile } from '../platform/render.js';
import { renderError, safeInt, safePath, safeToken } from '../platform/render.js';
import { isMailAddress } from './rules.js';

export const QUOTA_WARNING_PERCENT = 90;

/** Where the warning lives on the mail server and whom it runs as (MailNodeSpec.quotaWarning). */
export interface QuotaWarningPlace {
  /** its directory: the script and the table, root's, group the user's (setgid, 2750) */
  dir: string;
  /** the system user (and group) it runs as */
  user: string;
}

export interface QuotaWarningSpec extends QuotaWarningPlace {
  hostname: string;
  /** Postfix's loopback listener for null-sender mail (ABRI_MAIL_PORTS replies) */
  repliesPort: number;
  mailboxes: Array<{ address: string; locale?: 'fr' | 'en' | null }>;
}

const header = '# Rendered by Abri: changes here are overwritten.\n';

/** An RFC 2047 encoded word: header fields are ASCII. */
const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;

const texts = {
  fr: {
    subject: `Votre boîte aux lettres est pleine à ${QUOTA_WARNING_PERCENT} %`,
    body: `Bonjour,

Votre boîte aux lettres {address} occupe ${QUOTA_WARNING_PERCENT} % de l'espace qui lui est alloué.
Quand elle sera pleine, les messages qui vous sont envoyés seront refusés.

Supprimez les messages dont vous n'avez plus besoin (pensez à vider la corbeille),
ou demandez à la personne qui gère votre hébergement d'agrandir la boîte.

Ce message est envoyé automatiquement, une fois par dépassement.`,
  },
  en: {
    subject: `Your mailbox is ${QUOTA_WARNING_PERCENT}% full`,
    body: `Hello,

Your mailbox {address} uses ${QUOTA_WARNING_PERCENT}% of its space.
Once it is full, messages sent to you will be refused.

Delete the messages you no longer need (and empty the trash),
or ask whoever manages your hosting to give the mailbox more space.

This message is sent automatically, once each time the mailbox crosses the mark.`,
  },
};

/** The message of a language (or both, French first), with the address in a shell variable. */
function message(locale: 'fr' | 'en' | 'both'): string {
  const parts = locale === 'both' ? [texts.fr, texts.en] : [texts[locale]];
  const subject = parts.map((p) => p.subject).join(' / ');
  const body = parts.map((p) => p.body.replace('{address}', '$address')).join('\n\n----\n\n');
  return [
    'From: Mail system <MAILER-DAEMON@$host>',
    'To: <$address>',
    `Subject: ${encodedWord(subject)}`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
  ].join('\n');
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function script(spec: QuotaWarningSpec): string {
  const host = safeToken('host name', spec.hostname, /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/);
  const locales = `${safePath('quota warning directory', spec.dir)}/quota-warning-locales`;
  const port = safeInt('replies port', spec.repliesPort, 1, 65535);
  const compose = (locale: 'fr' | 'en' | 'both') => `message_${locale}() {
  cat <<EOF
${message(locale)}
EOF
}`;
  return `#!/bin/bash
${header}# Dovecot runs it as ${safeToken('quota warning user', spec.user, USER)} when a mailbox crosses ${QUOTA_WARNING_PERCENT} % of its quota: quota-warning PERCENT ADDRESS
set -eu
[ $# -eq 2 ] || exit 64
percent=$1
address=$2
host=${host}
case $percent in ''|*[!0-9]*) exit 64 ;; esac
# only the mailboxes of this server, each in its language (the address is compared, never run)
locale=$(awk -v a="$address" '$1 == a { print $2; exit }' ${locales})
case $locale in fr|en|both) ;; *) exit 0 ;; esac
${compose('fr')}
${compose('en')}
${compose('both')}
# one SMTP transaction with Postfix's loopback listener for null-sender mail (render-postfix.ts)
exec 3<>/dev/tcp/127.0.0.1/${port}
answer() {
  local line
  while IFS= read -r -t 60 line <&3; do
    case $line in
      [0-9][0-9][0-9]-*) ;;
      [23][0-9][0-9]*) return 0 ;;
      *) echo "quota-warning: $address: $line" >&2; exit 75 ;;
    esac
  done
  exit 75
}
say() { printf '%s\\r\\n' "$1" >&3; answer; }
answer
say "EHLO $host"
say "MAIL FROM:<>"
say "RCPT TO:<$address>"
say "DATA"
message_$locale | sed -e 's/^\\./../' -e 's/$/\\r/' >&3
say "."
printf 'QUIT\\r\\n' >&3
`;
}

/** Dovecot's service for the warning: runs as the warning's user, its socket for Dovecot's mail processes only (their extra group). */
export function quotaWarningService(place: QuotaWarningPlace): string {
  const user = safeToken('quota warning user', place.user, USER);
  return `# mail processes (each as its hosting's uid) get the warning's group: they, and no other local user, reach its socket
mail_access_groups = ${user}
service quota-warning {
  executable = script ${safePath('quota warning directory', place.dir)}/quota-warning
  user = ${user}
  unix_listener quota-warning {
    group = ${user}
    mode = 0660
  }
}
`;
}

export function renderQuotaWarning(spec: QuotaWarningSpec): RenderedFile[] {
  const rows: string[] = [];
  for (const b of [...spec.mailboxes].sort((x, y) => (x.address < y.address ? -1 : 1))) {
    if (!isMailAddress(b.address)) throw renderError('mailbox address', b.address, 'not an address Abri makes');
    rows.push(`${b.address} ${b.locale === 'fr' || b.locale === 'en' ? b.locale : 'both'}\n`);
  }
  return [
    { path: 'quota-warning', content: script(spec), mode: 0o750 },
    { path: 'quota-warning-locales', content: rows.join(''), mode: 0o640 },
  ];
}
