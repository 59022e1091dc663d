// Pure rendering of the 90 % quota warning of a mail server: the script Dovecot runs when a mailbox
// crosses 90 % of its quota (service quota-warning in render-dovecot.ts: `quota-warning 90 <address>`;
// Dovecot runs it once per crossing, not again until the usage went back under and over), and the
// table of each mailbox's language (its hosting's customer's, or both when unknown). The script sends
// the mailbox a message through Abri's own Postfix (its sendmail with the instance's configuration
// directory, from the null sender: no bounce loops); an address that is not a mailbox of the table
// gets nothing (the socket is open to every mail process, whatever the hosting's uid).
import type { RenderedFile } from '../platform/render.js';
import { renderError, safePath, safeToken } from '../platform/render.js';
import { isMailAddress } from './rules.js';

export const QUOTA_WARNING_PERCENT = 90;

export interface QuotaWarningSpec {
  hostname: string;
  postfixDir: string;
  dovecotDir: string;
  /** Postfix's sendmail (next to ABRI_POSTFIX) */
  sendmail: string;
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

function script(spec: QuotaWarningSpec): string {
  const host = safeToken('host name', spec.hostname, /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/);
  const locales = `${safePath('Dovecot directory', spec.dovecotDir)}/quota-warning-locales`;
  const send = (locale: 'fr' | 'en' | 'both') => `  ${locale})
    ${safePath('sendmail', spec.sendmail)} -C ${safePath('postfix directory', spec.postfixDir)} -i -f '' -- "$address" <<EOF
${message(locale)}
EOF
    ;;`;
  return `#!/bin/sh
${header}# Dovecot runs it as root when a mailbox crosses ${QUOTA_WARNING_PERCENT} % of its quota: quota-warning PERCENT ADDRESS
set -eu
[ $# -eq 2 ] || exit 64
percent=$1
address=$2
host=${host}
case $percent in ''|*[!0-9]*) exit 64 ;; esac
# only the mailboxes of this server, each in its language (the address is compared, never run)
locale=$(awk -v a="$address" '$1 == a { print $2; exit }' ${locales})
case $locale in
${send('fr')}
${send('en')}
${send('both')}
  *) exit 0 ;;
esac
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
