// The receipt of a payment or a refund (pure, French and English): how much, how, on which day, for
// which invoice, and what is left to pay (or that it is settled). Amounts and days come formatted by
// billing; the message is the customer's receipt, sent once per payment.
import { z } from 'zod';
import { defineTemplate, type Body } from './templates.js';

const receiptMethods = ['card', 'transfer', 'cheque', 'cash', 'other'] as const;

const receiptParams = z.object({
  kind: z.enum(['payment', 'refund']),
  number: z.string().describe('the invoice paid (or refunded)'),
  seller: z.string(),
  amount: z.string().describe('received or paid back, formatted'),
  method: z.enum(receiptMethods),
  receivedOn: z.string().describe('formatted day'),
  reference: z.string().describe('the cheque\'s number, the transfer\'s reference…; empty: none'),
  balance: z.string().nullable().describe('what is left to pay, formatted; null: nothing (settled)'),
  creditNote: z.string().nullable().describe('a refund: the credit note that credited the invoice'),
});
type Params = z.infer<typeof receiptParams>;

declare module './templates.js' {
  interface MessageTemplates {
    receipt: typeof receiptParams;
  }
}

const METHODS = {
  fr: { card: 'carte bancaire', transfer: 'virement', cheque: 'chèque', cash: 'espèces', other: 'autre moyen' },
  en: { card: 'card', transfer: 'bank transfer', cheque: 'cheque', cash: 'cash', other: 'other means' },
} as const;

function receiptBody(q: Params, l: 'fr' | 'en'): Body {
  const how = `${METHODS[l][q.method]}${q.reference ? (l === 'fr' ? `, référence ${q.reference}` : `, reference ${q.reference}`) : ''}`;
  if (l === 'fr') {
    if (q.kind === 'refund') {
      return {
        subject: `Remboursement sur la facture ${q.number}`,
        before: ['Bonjour,', `${q.seller} vous a remboursé ${q.amount} le ${q.receivedOn} (${how}) sur la facture ${q.number}${q.creditNote ? `, créditée par l'avoir ${q.creditNote}` : ''}.`],
        action: 'Voir la facture', after: ['Ce message tient lieu de reçu : conservez-le.'],
      };
    }
    return {
      subject: `Reçu de votre paiement : facture ${q.number}`,
      before: ['Bonjour,', `${q.seller} a bien reçu votre paiement de ${q.amount} le ${q.receivedOn} (${how}) pour la facture ${q.number}.`, q.balance ? `Il reste ${q.balance} à régler sur cette facture.` : 'Cette facture est entièrement réglée. Merci !'],
      action: 'Voir la facture', after: ['Ce message tient lieu de reçu : conservez-le.'],
    };
  }
  if (q.kind === 'refund') {
    return {
      subject: `Refund on invoice ${q.number}`,
      before: ['Hello,', `${q.seller} paid you back ${q.amount} on ${q.receivedOn} (${how}) on invoice ${q.number}${q.creditNote ? `, credited by credit note ${q.creditNote}` : ''}.`],
      action: 'View the invoice', after: ['Keep this message: it is your receipt.'],
    };
  }
  return {
    subject: `Receipt of your payment: invoice ${q.number}`,
    before: ['Hello,', `${q.seller} received your payment of ${q.amount} on ${q.receivedOn} (${how}) for invoice ${q.number}.`, q.balance ? `${q.balance} is left to pay on this invoice.` : 'This invoice is paid in full. Thank you!'],
    action: 'View the invoice', after: ['Keep this message: it is your receipt.'],
  };
}

export const receiptMessage = defineTemplate({
  name: 'receipt',
  params: receiptParams,
  about: 'a payment received or a refund paid back',
  body: receiptBody,
});
