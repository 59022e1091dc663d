// The platform's messages, in French and English (pure): subject, plain text and HTML of each
// template from its parameters. Every value a person typed (a customer's name, an e-mail address)
// is escaped in the HTML; the link is the one secret, given apart (staff see it masked).
import { z } from 'zod';
import { serviceEndBody, serviceEndParams } from './render-service-end.js';
import { dunningBody, dunningParams } from './render-dunning.js';
import { receiptBody, receiptParams } from './render-receipt.js';

export const TEMPLATES = ['invitation', 'activation', 'password_reset', 'invoice', 'work_notice', 'dunning', 'service_end', 'receipt'] as const;
export type Template = (typeof TEMPLATES)[number];
export type Locale = 'fr' | 'en';

export const messageParams = {
  invitation: z.object({ customerName: z.string(), customerNumber: z.number().int(), role: z.string(), inviter: z.string().nullable(), expiresAt: z.string() }),
  activation: z.object({ email: z.string(), role: z.string(), expiresAt: z.string() }),
  password_reset: z.object({ email: z.string(), expiresAt: z.string() }),
  invoice: z.object({ kind: z.enum(['invoice', 'proforma', 'credit_note']), number: z.string(), seller: z.string(), total: z.string(), paymentDue: z.string() }),
  /** a reminder, suspension, termination or lifted suspension of an unpaid invoice (billing's dunning) */
  dunning: dunningParams,
  service_end: serviceEndParams,
  /** a payment received or a refund paid back (billing's payments) */
  receipt: receiptParams,
  /** written by its capability (works: src/works/render-notice.ts), with its attachments; it carries no secret */
  work_notice: z.object({
    subject: z.string(), text: z.string(), html: z.string(),
    attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })).default([]),
  }),
} satisfies Record<Template, z.ZodTypeAny>;

export type MessageParams<T extends Template> = z.infer<(typeof messageParams)[T]>;

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "1 December 2026, 14:05 UTC" / "1 décembre 2026, 14:05 UTC" */
export function when(iso: string, locale: Locale): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${date}, ${time} UTC`;
}

const ROLES: Record<Locale, Record<string, string>> = {
  fr: { owner: 'propriétaire', manager: 'gestionnaire', readonly: 'lecture seule', admin: 'administrateur', staff: 'équipe', customer: 'client' },
  en: { owner: 'owner', manager: 'manager', readonly: 'read-only', admin: 'administrator', staff: 'staff', customer: 'customer' },
};
const role = (r: string, l: Locale) => ROLES[l][r] ?? r;

/** Paragraphs (plain strings, escaped for HTML) around one link. */
interface Body {
  subject: string;
  before: string[];
  action: string;
  after: string[];
}

function bodies<T extends Template>(template: T, p: MessageParams<T>, l: Locale): Body {
  const fr = l === 'fr';
  switch (template) {
    case 'invitation': {
      const q = p as MessageParams<'invitation'>;
      const by = q.inviter ? (fr ? ` par ${q.inviter}` : ` by ${q.inviter}`) : '';
      return fr
        ? { subject: `Invitation à gérer ${q.customerName}`, before: [`Bonjour,`, `Vous êtes invité${by} à agir pour ${q.customerName} (client ${q.customerNumber}) avec le rôle « ${role(q.role, l)} ».`], action: 'Accepter l\'invitation', after: [`Ce lien sert une fois et expire le ${when(q.expiresAt, l)}.`, 'Si vous n\'attendiez pas cette invitation, ignorez ce message.'] }
        : { subject: `Invitation to manage ${q.customerName}`, before: ['Hello,', `You are invited${by} to act for ${q.customerName} (customer ${q.customerNumber}) with the role "${role(q.role, l)}".`], action: 'Accept the invitation', after: [`This link works once and expires on ${when(q.expiresAt, l)}.`, 'If you did not expect this invitation, ignore this message.'] };
    }
    case 'activation': {
      const q = p as MessageParams<'activation'>;
      return fr
        ? { subject: 'Activez votre compte', before: ['Bonjour,', `Un compte « ${role(q.role, l)} » a été créé pour ${q.email}. Choisissez son mot de passe pour l'activer.`], action: 'Choisir mon mot de passe', after: [`Ce lien sert une fois et expire le ${when(q.expiresAt, l)}.`] }
        : { subject: 'Activate your account', before: ['Hello,', `A "${role(q.role, l)}" account was created for ${q.email}. Choose its password to activate it.`], action: 'Choose my password', after: [`This link works once and expires on ${when(q.expiresAt, l)}.`] };
    }
    case 'password_reset': {
      const q = p as MessageParams<'password_reset'>;
      return fr
        ? { subject: 'Réinitialisation de votre mot de passe', before: ['Bonjour,', `Quelqu'un (vous, sans doute) a demandé un nouveau mot de passe pour le compte ${q.email}.`], action: 'Choisir un nouveau mot de passe', after: [`Ce lien sert une fois et expire le ${when(q.expiresAt, l)}. Un nouveau mot de passe ferme toutes les sessions ouvertes et révoque les jetons d'API du compte.`, 'Si vous n\'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.'] }
        : { subject: 'Resetting your password', before: ['Hello,', `Someone (you, most likely) asked for a new password for the account ${q.email}.`], action: 'Choose a new password', after: [`This link works once and expires on ${when(q.expiresAt, l)}. A new password ends every open session and revokes the account's API tokens.`, 'If you did not ask for anything, ignore this message: your password does not change.'] };
    }
    case 'invoice':
      return invoiceBody(p as MessageParams<'invoice'>, l);
    case 'dunning':
      return dunningBody(p as MessageParams<'dunning'>, l);
    case 'service_end':
      return serviceEndBody(p as MessageParams<'service_end'>, l);
    case 'receipt':
      return receiptBody(p as MessageParams<'receipt'>, l);
  }
  throw new Error(`unknown template ${String(template)}`);
}

const KINDS: Record<Locale, Record<MessageParams<'invoice'>['kind'], string>> = {
  fr: { invoice: 'Facture', proforma: 'Facture proforma', credit_note: 'Avoir' },
  en: { invoice: 'Invoice', proforma: 'Proforma invoice', credit_note: 'Credit note' },
};

/** An invoice, proforma or credit note was issued (the amount is formatted by billing). */
function invoiceBody(q: MessageParams<'invoice'>, l: Locale): Body {
  const what = KINDS[l][q.kind];
  const day = when(`${q.paymentDue}T00:00:00Z`, l).replace(/, 00:00 UTC$/, '');
  const due = q.kind === 'invoice' ? [l === 'fr' ? `À régler au plus tard le ${day}.` : `To be paid by ${day}.`] : [];
  return l === 'fr'
    ? { subject: `${what} ${q.number} de ${q.seller}`, before: ['Bonjour,', `${q.seller} vous a adressé ${q.kind === 'credit_note' ? 'l\'avoir' : `la ${what.toLowerCase()}`} ${q.number} d'un montant de ${q.total}.`, ...due], action: 'Voir et télécharger le PDF', after: ['Vos factures restent téléchargeables à tout moment depuis votre espace client.'] }
    : { subject: `${what} ${q.number} from ${q.seller}`, before: ['Hello,', `${q.seller} has issued ${what.toLowerCase()} ${q.number} for ${q.total}.`, ...due], action: 'View and download the PDF', after: ['Your invoices can be downloaded at any time from your customer area.'] };
}
/** The templates whose message carries a secret link (sealed until sent). */

export const carriesLink = (t: Template) => t !== 'work_notice';

/** The message of a template, in a language, with its link (or a masked one, for staff). */
export function renderMessage<T extends Template>(template: T, params: MessageParams<T>, locale: Locale, link: string): RenderedMessage {
  if (template === 'work_notice') {
    const q = params as MessageParams<'work_notice'>;
    return { subject: q.subject, text: q.text, html: q.html };
  }
  const b = bodies(template, params, locale);
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
