// The platform's messages, in French and English: subject, plain text and HTML of each template
// (templates.ts: each capability defines its own) from its parameters. Every value a person typed (a
// customer's name, an e-mail address) is escaped in the HTML; the link is the one secret, given apart
// (staff see it masked).
import { templateOf, type Locale, type MessageParams, type RenderedMessage, type Template } from './templates.js';
// billing's messages (until billing defines them itself)
import './render-invoice.js';
import './render-dunning.js';
import './render-service-end.js';
import './render-receipt.js';

export { when, type Locale, type MessageParams, type RenderedMessage, type Template } from './templates.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Whether the template's message carries a secret link (sealed until sent). */
export const carriesLink = (t: Template) => !!templateOf(t).body;

/** A template's parameters, checked (a stored message's). */
export const paramsOf = <T extends Template>(template: T, params: unknown): MessageParams<T> => templateOf(template).params.parse(params) as MessageParams<T>;

/** The message of a template, in a language, with its link (or a masked one, for staff). */
export function renderMessage<T extends Template>(template: T, params: MessageParams<T>, locale: Locale, link: string): RenderedMessage {
  const def = templateOf(template);
  if (def.whole) return def.whole(params, locale);
  const b = def.body!(params, locale);
  const text = `${[...b.before, `${b.action}${locale === 'fr' ? ' :' : ':'} ${link}`, ...b.after].join('\n\n')}\n\n-- \nAbri\n`;
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(b.subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;max-width:40em">',
    ...b.before.map(p),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(b.action)}</a></p>`,
    `<p style="font-size:small;color:#555">${escapeHtml(link)}</p>`,
    ...b.after.map(p),
    '<p>-- <br>Abri</p>',
    '</body></html>',
    '',
  ].join('\n');
  return { subject: b.subject, text, html };
}

/** What staff see of a link: where it leads, not the secret that opens it. */
export function maskLink(link: string): string {
  const cut = link.search(/[#?]|\/[A-Za-z0-9_-]{20,}$/);
  return `${cut < 0 ? link : link.slice(0, cut + 1)}…`;
}
