// Dunning where people look for it. On an invoice's page: its state (reminders sent, hosting
// suspended or terminated for non-payment, paused, ended), what comes next and when, what to do
// (pay: by transfer with its reference, or as the host's payment terms say), and every step taken;
// staff pause or resume it. On a hosting's page: a warning while one of its invoices is in dunning.
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Hosting, Invoice } from '../../api/model.js';
import type { Answer } from '../../api/query.js';
import { change, useGet } from '../../api/query.js';
import { Notice, ErrorNotice } from '../../components/Notice.js';
import { Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

type Dunning = Answer<'/invoices/{id}/dunning'>;
type Listed = Answer<'/dunning'>['items'][number];

function useNextPhrase() {
  const { t, fmt } = useI18n();
  return (d: Pick<Dunning, 'next' | 'hosting'>) =>
    d.next ? t(`dunning.next.${d.next.step}`, { n: d.next.reminder ?? 1, date: fmt.date(d.next.on), hosting: d.hosting ?? '' }) : null;
}

/** What the customer should do, in one sentence: pay, by transfer with the reference, or online. */
function WhatToDo({ invoice: i, dunning: d }: { invoice: Invoice; dunning: Dunning }) {
  const { t, fmt } = useI18n();
  if (d.state === 'ended' || i.balanceCents <= 0) return null;
  return (
    <p data-testid="dunning-todo">
      {t('dunning.todo', { amount: fmt.money(i.balanceCents, i.currency) })}
      {i.paymentReference && ` ${t('dunning.todoTransfer', { reference: i.paymentReference })}`}
      {i.seller.iban && ` ${t('dunning.todoIban', { iban: i.seller.iban })}`}
    </p>
  );
}

export function InvoiceDunning({ invoice: i }: { invoice: Invoice }) {
  const answer = useGet('/invoices/{id}/dunning', { path: { id: i.id } });
  if (i.kind !== 'invoice' || !answer.data) return null;
  return <DunningSection invoice={i} dunning={answer.data} />;
}

function DunningSection({ invoice: i, dunning: d }: { invoice: Invoice; dunning: Dunning }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  const next = useNextPhrase()(d);
  const late = d.state !== 'ended' && d.daysLate > 0 && i.balanceCents > 0;
  if (!late && d.events.length === 0 && !isStaff) return null;
  return (
    <Section title={t('dunning.title')}>
      <div data-testid="dunning">
        {late && (
          <Notice kind="warning" title={t(`dunning.state.${d.state}`, { hosting: d.hosting ?? '' })}>
            <p>{t('dunning.late', { days: d.daysLate, date: fmt.date(d.paymentDue) })}</p>
            <WhatToDo invoice={i} dunning={d} />
            {next && <p>{next}</p>}
            {d.state === 'suspended' && <p>{t('dunning.liftedWhenPaid')}</p>}
          </Notice>
        )}
        {!late && <p className="hint">{t(`dunning.state.${d.state}`, { hosting: d.hosting ?? '' })}{next && ` ${next}`}</p>}
        {d.paused && <p className="hint">{t(d.paused.customer ? 'dunning.pausedCustomer' : 'dunning.pausedInvoice', { date: fmt.date(d.paused.at) })}{isStaff && d.paused.note && ` — ${d.paused.note}`}</p>}
        {!d.enabled && isStaff && <p className="hint">{t('dunning.off')}</p>}
        {d.events.length > 0 && (
          <table className="table">
            <caption>{t('dunning.log')}</caption>
            <thead><tr><th scope="col">{t('dunning.when')}</th><th scope="col" className="num">{t('dunning.daysLate')}</th><th scope="col">{t('dunning.step')}</th>{isStaff && <th scope="col">{t('dunning.by')}</th>}</tr></thead>
            <tbody>
              {d.events.map((e, n) => (
                <tr key={n}>
                  <td className="nowrap">{fmt.dateTime(e.at)}</td>
                  <td className="num">{fmt.number(e.daysLate)}</td>
                  <td>{t(`dunning.event.${e.step}`, { n: e.reminder ?? 1 })}{e.detail && ` (${e.detail})`}</td>
                  {isStaff && <td>{e.by}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {isStaff && d.state !== 'ended' && !d.paused?.customer && <PauseButton invoice={i} paused={!!d.paused} />}
      </div>
    </Section>
  );
}

function PauseButton({ invoice: i, paused }: { invoice: Invoice; paused: boolean }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const toggle = async () => {
    setError(null);
    try {
      if (paused) await change('delete', '/invoices/{id}/dunning/pause', { path: { id: i.id } });
      else await change('put', '/invoices/{id}/dunning/pause', { path: { id: i.id }, body: { note: '' } });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="form-actions">
      <button type="button" onClick={() => void toggle()}>{t(paused ? 'dunning.resume' : 'dunning.pause')}</button>
      {error !== null && <ErrorNotice error={error} />}
    </div>
  );
}

/** On a hosting's page: a warning while one of its invoices is in dunning, with the way out. */
export function HostingDunning({ hosting }: { hosting: Hosting }) {
  const { t, fmt } = useI18n();
  const next = useNextPhrase();
  const answer = useGet('/dunning', { query: { hostingId: hosting.id, open: 'true' } });
  const open = (answer.data?.items ?? []).filter((d: Listed) => d.daysLate > 0 && d.balanceCents > 0 && d.state !== 'ended');
  if (!open.length) return null;
  return (
    <Notice kind="warning" title={t('dunning.hostingTitle')}>
      {open.map((d: Listed) => (
        <p key={d.invoiceId} data-testid="hosting-dunning">
          {t('dunning.hostingInvoice', { amount: fmt.money(d.balanceCents, d.currency), date: fmt.date(d.paymentDue) })}{' '}
          <Link to="/invoices/$invoice" params={{ invoice: d.number }}>{d.number}</Link>
          {'. '}{t(`dunning.state.${d.state}`, { hosting: d.hosting ?? '' })}{next(d) && ` ${next(d)!}`}
        </p>
      ))}
    </Notice>
  );
}
