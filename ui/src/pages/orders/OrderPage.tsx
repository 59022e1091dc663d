// An order's page (/orders/$order): its offer, price, state and invoice; what to do next (pay the
// invoice, wait for the hosting, open it); its customer's owner or staff cancel it while unpaid;
// staff see why a creation failed and retry it. It asks again by itself while the hosting is made.
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { change, useGet } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Notice } from '../../components/Notice.js';
import { Loaded, Page } from '../../components/Page.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import type { Order } from './OrdersPage.js';

export function OrderPage() {
  const { order } = useParams({ from: '/orders/$order' });
  const { t } = useI18n();
  const query = useGet('/orders/{id}', { path: { id: order } }, { refetchInterval: (q) => (q.state.data?.state === 'paid' ? 2000 : false) });
  return (
    <Page title={t('order.numberOf', { number: order })} crumbs={[<Link key="orders" to="/orders">{t('nav.orders')}</Link>]}>
      <Loaded query={query}>{(o) => <OrderView o={o} />}</Loaded>
    </Page>
  );
}

function OrderView({ o }: { o: Order }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const session = useSession();
  const [said, setSaid] = useState<Phrase | null>(null);
  const owner = session.isStaff || session.isOwner(o.customer.id);
  const retry = async () => {
    setSaid(null);
    try {
      await change('post', '/orders/{id}/retry', { path: { id: o.id } });
    } catch (e) {
      setSaid(problemPhrase(e, i18n));
    }
  };
  return (
    <>
      <dl className="facts">
        {session.isStaff && (<><dt>{t('order.forCustomer')}</dt><dd><Link to="/customers/$customer" params={{ customer: String(o.customer.number) }}>{o.customer.name}</Link></dd></>)}
        <dt>{t('order.offer')}</dt><dd>{o.offer}{o.domain ? ` (${o.domain})` : ''}</dd>
        <dt>{t('order.price')}</dt><dd>{t('order.priceOf', { price: fmt.money(o.priceCents, o.currency), cycle: t(`cycle.${o.billingCycle}`) })}</dd>
        <dt>{t('order.state')}</dt><dd data-testid="order-state" data-state={o.state}>{t(`order.state.${o.state}`)}</dd>
        <dt>{t('order.invoice')}</dt><dd><Link to="/invoices/$invoice" params={{ invoice: o.invoice.number }}>{o.invoice.number}</Link> ({fmt.money(o.invoice.totalCents, o.currency)})</dd>
        <dt>{t('order.created')}</dt><dd>{fmt.dateTime(o.createdAt)}</dd>
        {o.hosting && (<><dt>{t('order.hosting')}</dt><dd><Link to="/hostings/$hosting" params={{ hosting: o.hosting.name }}>{o.hosting.name}</Link></dd></>)}
      </dl>
      {o.state === 'awaiting_payment' && <Notice kind="info"><p>{t('order.payIt', { number: o.invoice.number })}</p></Notice>}
      {o.state === 'paid' && <p role="status">{t('order.paidWait')}</p>}
      {o.state === 'provisioned' && o.hosting && <Notice kind="success"><p>{t('order.done', { hosting: o.hosting.name })}</p></Notice>}
      {o.state === 'cancelled' && o.cancelledAt && <p>{t('order.cancelledOn', { date: fmt.date(o.cancelledAt) })}</p>}
      {o.state === 'failed' && (
        <Notice kind="warning">
          <p>{session.isStaff ? t('order.failedStaff', { error: o.error }) : t('order.failedCustomer')}</p>
          {session.isStaff && <p><button type="button" onClick={retry}>{t('order.retry')}</button></p>}
          {said && <p role="alert"><Say phrase={said} /></p>}
        </Notice>
      )}
      {o.state === 'awaiting_payment' && owner && o.invoice.paidCents === 0 && (
        <div className="form-actions">
          <ConfirmButton label={t('order.cancel')} title={t('order.cancelTitle', { number: o.number })} confirmLabel={t('order.cancelConfirm')} danger
            onConfirm={async () => { await change('post', '/orders/{id}/cancel', { path: { id: o.id } }); }}>
            <p>{t('order.cancelText', { invoice: o.invoice.number })}</p>
          </ConfirmButton>
        </div>
      )}
    </>
  );
}
