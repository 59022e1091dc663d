// Paying an invoice by card (when the platform takes cards: Stripe): the button sends the payer to
// Stripe's own page for the balance; back here, a line says whether it went through. Staff pay back
// a credited invoice's card payment through Stripe.
import { useState } from 'react';
import type { Invoice } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { Section } from '../../components/Page.js';

/** ?card=done or ?card=cancelled: where Stripe's page sends the payer back to. */
const returned = () => new URLSearchParams(window.location.search).get('card');

export function CardPayment({ invoice: i }: { invoice: Invoice }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const options = useGet('/payments/options', {}, { staleTime: 10 * 60_000 }).data;
  const [problem, setProblem] = useState<Phrase | null>(null);
  const [busy, setBusy] = useState(false);
  const back = returned();
  const owed = i.kind === 'invoice' && !i.creditedBy && i.balanceCents > 0;
  if (!options?.card || (!owed && !back)) return null;
  const pay = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const { redirectUrl } = await change('post', '/invoices/{id}/card-payment', { path: { id: i.id } });
      if (redirectUrl) window.location.assign(redirectUrl);
    } catch (e) {
      setProblem(problemPhrase(e, i18n));
      setBusy(false);
    }
  };
  return (
    <Section title={t('card.title')}>
      {back === 'done' && <p role="status" data-testid="card-returned">{i.balanceCents > 0 ? t('card.confirming') : t('card.thanks')}</p>}
      {back === 'cancelled' && owed && <p role="status" data-testid="card-returned">{t('card.cancelled')}</p>}
      {owed && (
        <>
          <p className="hint">{t('card.explained')}</p>
          <button type="button" className="primary" onClick={pay} disabled={busy}>{t('card.pay', { amount: fmt.money(i.balanceCents, i.currency) })}</button>
          {problem && <p className="field-error" role="alert"><Say phrase={problem} /></p>}
        </>
      )}
    </Section>
  );
}

export function CardRefund({ invoice: i }: { invoice: Invoice }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const { isStaff } = useSession();
  const options = useGet('/payments/options', {}, { staleTime: 10 * 60_000 }).data;
  const [said, setSaid] = useState<Phrase | null>(null);
  if (!isStaff || !options?.card || i.status !== 'credited' || i.paidCents <= 0) return null;
  const refund = async () => {
    try {
      const r = await change('post', '/invoices/{id}/card-refund', { path: { id: i.id }, body: {} });
      setSaid({ text: t(r.status === 'succeeded' ? 'card.refunded' : 'card.refundPending') });
    } catch (e) {
      setSaid(problemPhrase(e, i18n));
    }
  };
  return (
    <Section title={t('card.refundTitle')}>
      <p className="hint">{t('card.refundExplained')}</p>
      <button type="button" onClick={refund}>{t('card.refund', { amount: fmt.money(i.paidCents, i.currency) })}</button>
      {said && <p role="status"><Say phrase={said} /></p>}
    </Section>
  );
}
