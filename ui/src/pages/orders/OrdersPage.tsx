// The orders page (/orders): a customer's users see their customers' orders ("Order a hosting"
// leads to the order page), staff every order, by state, and order for a customer by hand. The list
// asks again by itself while an order waits for its payment or its hosting.
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Answer } from '../../api/query.js';
import { change, useGet } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { ChoiceField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Page, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { useOfferChoices } from './OrderPublicPage.js';

export type Order = Answer<'/orders/{id}'>;
type OrderState = Order['state'];
export const orderStates: OrderState[] = ['awaiting_payment', 'paid', 'provisioned', 'cancelled', 'failed'];

export function OrdersPage() {
  const { t } = useI18n();
  const { isStaff } = useSession();
  return (
    <Page title={t('nav.orders')} actions={isStaff ? undefined : <Link to="/order" className="button primary">{t('order.orderHosting')}</Link>}>
      <p className="hint">{t('order.expiry')}</p>
      <OrdersTable />
      {isStaff && <StaffOrder />}
    </Page>
  );
}

function OrdersTable() {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  const [state, setState] = useState<OrderState | ''>('');
  const list = useList('/orders', { defaultSort: '-createdAt', filters: { state: state || undefined }, pollWhile: (o) => o.state === 'paid' || o.state === 'awaiting_payment' });
  const columns: Column<Order>[] = [
    { id: 'number', header: t('order.number'), sort: 'number', rowHeader: true, cell: (o) => <Link to="/orders/$order" params={{ order: String(o.number) }}>{t('order.numberOf', { number: o.number })}</Link> },
    ...(isStaff ? [{ id: 'customer', header: t('order.forCustomer'), cell: (o: Order) => o.customer.name }] : []),
    { id: 'offer', header: t('order.offer'), cell: (o) => `${o.offer}${o.domain ? ` (${o.domain})` : ''}` },
    { id: 'price', header: t('order.price'), className: 'num', cell: (o) => t('order.priceOf', { price: fmt.money(o.priceCents, o.currency), cycle: t(`cycle.${o.billingCycle}`) }) },
    { id: 'state', header: t('order.state'), cell: (o) => <span data-state={o.state}>{t(`order.state.${o.state}`)}</span> },
    { id: 'invoice', header: t('order.invoice'), cell: (o) => <Link to="/invoices/$invoice" params={{ invoice: o.invoice.number }}>{o.invoice.number}</Link> },
    { id: 'hosting', header: t('order.hosting'), cell: (o) => (o.hosting ? <Link to="/hostings/$hosting" params={{ hosting: o.hosting.name }}>{o.hosting.name}</Link> : '—') },
    { id: 'createdAt', header: t('order.created'), sort: 'createdAt', className: 'nowrap', cell: (o) => fmt.date(o.createdAt) },
  ];
  const toolbar = (
    <div className="search filter">
      <label htmlFor="order-state">{t('order.state')}</label>
      <select id="order-state" value={state} onChange={(e) => setState(e.target.value as OrderState | '')}>
        <option value="">{t('order.allStates')}</option>
        {orderStates.map((s) => <option key={s} value={s}>{t(`order.state.${s}`)}</option>)}
      </select>
    </div>
  );
  return (
    <DataTable list={list} columns={columns} caption={t('nav.orders')} rowKey={(o) => o.id} searchLabel={t('order.search')} toolbar={toolbar}
      empty={list.query || state ? t('table.noMatch') : t('order.none')} />
  );
}

/** Staff order for a customer (any priced offer): its invoice is issued; its payment is recorded on the invoice. */
function StaffOrder() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const offers = useGet('/offers', { query: { limit: 100 } });
  const priced = (offers.data?.items ?? []).filter((o) => !o.archived && o.priceCents > 0);
  const choices = useOfferChoices(priced);
  const form = useForm({ customerId: '', offerId: '', domain: '' });
  const submit = async (v: typeof form.values) => {
    const o = await change('post', '/orders', { body: { customerId: v.customerId.trim(), offerId: v.offerId, ...(v.domain.trim() ? { domain: v.domain.trim() } : {}) } });
    await navigate({ to: '/orders/$order', params: { order: String(o.number) } });
  };
  if (!priced.length) return null;
  return (
    <Section title={t('order.staffNew')}>
      <p className="hint">{t('order.staffNewHint')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('order.submit')} label={t('order.staffNew')}>
        <TextField name="customerId" label={t('order.customerRef')} inputMode="numeric" required />
        <ChoiceField name="offerId" label={t('order.offer')} options={choices} />
        <TextField name="domain" label={t('order.domain')} hint={t('order.domainHint')} />
      </Form>
    </Section>
  );
}
