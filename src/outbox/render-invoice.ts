// The message of an invoice, proforma or credit note issued (pure), in French and English; billing
// formats the amount. (Billing's, kept here with its other messages until billing defines them.)
import { z } from 'zod';
import { defineTemplate, when, type Body, type Locale } from './templates.js';

const invoiceParams = z.object({ kind: z.enum(['invoice', 'proforma', 'credit_note']), number: z.string(), seller: z.string(), total: z.string(), paymentDue: z.string() });
type InvoiceParams = z.infer<typeof invoiceParams>;

declare module './templates.js' {
  interface MessageTemplates {
    invoice: typeof invoiceParams;
  }
}

const KINDS: Record<Locale, Record<InvoiceParams['kind'], string>> = {
  fr: { invoice: 'Facture', proforma: 'Facture proforma', credit_note: 'Avoir' },
  en: { invoice: 'Invoice', proforma: 'Proforma invoice', credit_note: 'Credit note' },
};

/** An invoice, proforma or credit note was issued (the amount is formatted by billing). */
function invoiceBody(q: InvoiceParams, l: Locale): Body {
  const what = KINDS[l][q.kind];
  const day = when(`${q.paymentDue}T00:00:00Z`, l).replace(/, 00:00 UTC$/, '');
  const due = q.kind === 'invoice' ? [l === 'fr' ? `À régler au plus tard le ${day}.` : `To be paid by ${day}.`] : [];
  return l === 'fr'
    ? { subject: `${what} ${q.number} de ${q.seller}`, before: ['Bonjour,', `${q.seller} vous a adressé ${q.kind === 'credit_note' ? 'l\'avoir' : `la ${what.toLowerCase()}`} ${q.number} d'un montant de ${q.total}.`, ...due], action: 'Voir et télécharger le PDF', after: ['Vos factures restent téléchargeables à tout moment depuis votre espace client.'] }
    : { subject: `${what} ${q.number} from ${q.seller}`, before: ['Hello,', `${q.seller} has issued ${what.toLowerCase()} ${q.number} for ${q.total}.`, ...due], action: 'View and download the PDF', after: ['Your invoices can be downloaded at any time from your customer area.'] };
}

export const invoiceMessage = defineTemplate({ name: 'invoice', params: invoiceParams, about: 'an invoice, proforma or credit note was issued', body: invoiceBody });
