// Pure rendering of the mail domains of terminated hostings in Abri's Postfix (render-postfix.ts calls
// these): their mail is kept on the mail server until the purge (ABRI_RETENTION_DAYS, like the files),
// but they no longer receive: port 25 refuses mail to them at RCPT with a permanent, explicit answer
// (550 5.2.1, "mailbox disabled": the sender learns at once, nothing is queued). Their mailboxes and
// aliases are no longer served (the driver leaves them out), so nothing else reaches them either.
import { renderError } from '../platform/render.js';
import type { RenderedFile } from '../platform/render.js';
import { isMailDomain } from './rules.js';

export interface MailEndedSpec {
  /** the served mail domains whose hosting is terminated (absent or empty: none) */
  ended?: string[];
}

export const ENDED_ANSWER = '550 5.2.1 this mail domain no longer receives mail: its hosting has ended';

const header = '# Rendered by Abri: changes here are overwritten.\n';

/** The first restriction of port 25's recipients: the ended domains' table (none when there are none). */
export const endedRestriction = (spec: MailEndedSpec, table: (name: string) => string) => (spec.ended?.length ? `check_recipient_access ${table('ended')}, ` : '');

/**
 * The access table: each ended domain refused; a served domain below one (another hosting's
 * sub.example.org under an ended example.org) passes on, since Postfix's access maps match parent domains.
 */
export function renderEnded(spec: MailEndedSpec & { domains: string[] }): RenderedFile[] {
  const ended = [...new Set(spec.ended ?? [])].sort();
  if (!ended.length) return [];
  for (const d of ended) if (!isMailDomain(d) || !spec.domains.includes(d)) throw renderError('ended mail domain', d, 'not a served mail domain');
  const below = spec.domains.filter((d) => !ended.includes(d) && ended.some((e) => d.endsWith(`.${e}`))).sort();
  const rows = [...ended.map((d) => `${d} ${ENDED_ANSWER}`), ...below.map((d) => `${d} DUNNO`)];
  return [{ path: 'ended', content: `${header}${rows.join('\n')}\n`, mode: 0o644 }];
}
