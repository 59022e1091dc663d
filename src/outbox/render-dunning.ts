// The dunning messages (pure), in French and English: a reminder of an unpaid invoice, the hosting
// suspended, then terminated, for non-payment, and the suspension lifted once paid. Each says how
// much, which invoice, how to pay (transfer with its reference, or online from the invoice's page)
// and what comes next. Amounts and days come formatted by billing.
import { z } from 'zod';
import { defineTemplate, type Body } from './templates.js';

const dunningParams = z.object({
  step: z.enum(['reminder', 'suspension', 'termination', 'lifted']),
  reminder: z.number().int().nullable(),
  number: z.string(),
  seller: z.string(),
  balance: z.string().describe('what is still owed, formatted'),
  paymentDue: z.string().describe('formatted day'),
  daysLate: z.number().int(),
  hosting: z.string().nullable(),
  next: z.object({ step: z.enum(['reminder', 'suspension', 'termination']), on: z.string().describe('formatted day') }).nullable(),
  reference: z.string().describe('the RF reference to give with a transfer'),
  iban: z.string(),
  bic: z.string(),
  /** lifted: the invoice settled by a payment, or by a credit note */
  settledBy: z.enum(['payment', 'credit']).default('payment'),
});
export type DunningParams = z.infer<typeof dunningParams>;

declare module './templates.js' {
  interface MessageTemplates {
    dunning: typeof dunningParams;
  }
}

function howToPay(q: DunningParams, fr: boolean): string[] {
  const bank = q.iban ? (fr ? ` sur le compte IBAN ${q.iban}${q.bic ? ` (BIC ${q.bic})` : ''}` : ` to the account IBAN ${q.iban}${q.bic ? ` (BIC ${q.bic})` : ''}`) : '';
  return fr
    ? [`Pour régler ${q.balance} : virement${bank} avec la référence ${q.reference}, ou depuis la page de la facture ci-dessous.`]
    : [`To pay ${q.balance}: a bank transfer${bank} with the reference ${q.reference}, or from the invoice's page below.`];
}

function nextOf(q: DunningParams, fr: boolean): string[] {
  if (!q.next) return [];
  const what = { reminder: fr ? 'un nouveau rappel sera envoyé' : 'another reminder will be sent', suspension: fr ? `l'hébergement ${q.hosting ?? ''} sera suspendu` : `the hosting ${q.hosting ?? ''} will be suspended`, termination: fr ? `l'hébergement ${q.hosting ?? ''} sera résilié` : `the hosting ${q.hosting ?? ''} will be terminated` }[q.next.step];
  return [fr ? `Sans paiement, ${what} le ${q.next.on}.` : `Without payment, ${what} on ${q.next.on}.`];
}

function dunningBody(q: DunningParams, l: 'fr' | 'en'): Body {
  const fr = l === 'fr';
  const action = fr ? 'Voir la facture et payer' : 'View the invoice and pay';
  const late = fr ? `La facture ${q.number} de ${q.seller}, à régler au plus tard le ${q.paymentDue}, reste impayée (${q.balance}, ${q.daysLate} jours de retard).` : `Invoice ${q.number} from ${q.seller}, due on ${q.paymentDue}, is still unpaid (${q.balance}, ${q.daysLate} days late).`;
  switch (q.step) {
    case 'reminder':
      return {
        subject: fr ? `Rappel ${q.reminder ?? 1} : facture ${q.number} impayée` : `Reminder ${q.reminder ?? 1}: invoice ${q.number} is unpaid`,
        before: [fr ? 'Bonjour,' : 'Hello,', late, ...howToPay(q, fr), ...nextOf(q, fr)], action,
        after: [fr ? 'Si vous avez déjà payé, ignorez ce message : le paiement sera pris en compte dès sa réception.' : 'If you have paid already, ignore this message: the payment counts as soon as it is received.'],
      };
    case 'suspension':
      return {
        subject: fr ? `Hébergement ${q.hosting ?? ''} suspendu : facture ${q.number} impayée` : `Hosting ${q.hosting ?? ''} suspended: invoice ${q.number} is unpaid`,
        before: [fr ? 'Bonjour,' : 'Hello,', late, fr ? `L'hébergement ${q.hosting ?? ''} est suspendu : ses sites affichent une page « suspendu ». Ses fichiers, bases et courriels sont conservés.` : `The hosting ${q.hosting ?? ''} is suspended: its sites show a "suspended" page. Its files, databases and mail are kept.`, ...howToPay(q, fr), fr ? 'Il est rétabli de lui-même dès que la facture est payée.' : 'It comes back by itself as soon as the invoice is paid.', ...nextOf(q, fr)],
        action, after: [],
      };
    case 'termination':
      return {
        subject: fr ? `Hébergement ${q.hosting ?? ''} résilié : facture ${q.number} impayée` : `Hosting ${q.hosting ?? ''} terminated: invoice ${q.number} is unpaid`,
        before: [fr ? 'Bonjour,' : 'Hello,', late, fr ? `L'hébergement ${q.hosting ?? ''} est résilié. Ses fichiers sont conservés pendant la durée de rétention : contactez-nous pour les récupérer.` : `The hosting ${q.hosting ?? ''} is terminated. Its files are kept for the retention period: contact us to get them back.`, ...howToPay(q, fr)],
        action, after: [],
      };
    case 'lifted':
      if (q.settledBy === 'credit') {
        return {
          subject: fr ? `Hébergement ${q.hosting ?? ''} rétabli : facture ${q.number} soldée par un avoir` : `Hosting ${q.hosting ?? ''} back: invoice ${q.number} settled by a credit note`,
          before: [fr ? 'Bonjour,' : 'Hello,', fr ? `La facture ${q.number} est soldée par un avoir : plus rien n'est dû, la suspension de l'hébergement ${q.hosting ?? ''} est levée.` : `Invoice ${q.number} is settled by a credit note: nothing is owed any more, the hosting ${q.hosting ?? ''} is no longer suspended.`],
          action: fr ? 'Voir la facture' : 'View the invoice', after: [],
        };
      }
      return {
        subject: fr ? `Hébergement ${q.hosting ?? ''} rétabli : merci pour votre paiement` : `Hosting ${q.hosting ?? ''} back: thank you for your payment`,
        before: [fr ? 'Bonjour,' : 'Hello,', fr ? `La facture ${q.number} est réglée : la suspension de l'hébergement ${q.hosting ?? ''} est levée.` : `Invoice ${q.number} is paid: the hosting ${q.hosting ?? ''} is no longer suspended.`],
        action: fr ? 'Voir la facture' : 'View the invoice', after: [],
      };
  }
}

export const dunningMessage = defineTemplate({
  name: 'dunning',
  params: dunningParams,
  about: 'a reminder, suspension or termination of an unpaid invoice, or its suspension lifted',
  body: dunningBody,
});
