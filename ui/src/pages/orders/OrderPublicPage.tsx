// The public order page (/order): the offers anyone may order, with their price and cycle. A visitor
// opens an account with the order in one step (the customer, its owner, the order and its invoice),
// is signed in and sent to pay the invoice; a customer's owner, logged in, orders for their customer
// from here too ("Order a hosting" in their area). Staff order for a customer from /orders.
import { Link, useNavigate } from '@tanstack/react-router';
import type { Answer } from '../../api/query.js';
import { call, change, useGet } from '../../api/query.js';
import { ChoiceField, TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Notice } from '../../components/Notice.js';
import { Loaded, Loading, Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

type Offers = Answer<'/orders/offers'>;

export function OrderPublicPage() {
  const { t } = useI18n();
  const session = useSession();
  // asked once the session is known: a visitor's first 401 drops the cached answers (session.tsx)
  const offers = useGet('/orders/offers', {}, { enabled: !session.loading });
  return (
    <Page title={t('order.publicTitle')}>
      <p>{t('order.intro')}</p>
      <Loaded query={offers}>{(o) => (o.items.length === 0 ? <p>{t('order.noOffers')}</p> : <OrderForm offers={o} />)}</Loaded>
    </Page>
  );
}

/** The offers as choices: "Asso: 12,00 € per month", with what each gives. */
export function useOfferChoices(items: Offers['items']) {
  const { t, fmt } = useI18n();
  return items.map((o) => ({
    value: o.id,
    label: t('order.offerLabel', { name: o.name, price: fmt.money(o.priceCents, o.currency), cycle: t(`cycle.${o.billingCycle}`) }),
    explanation: t('order.offerExplained', { disk: o.diskMb, sites: o.maxSites, mailboxes: o.maxMailboxes, databases: o.maxDatabases }),
  }));
}

function OrderForm({ offers }: { offers: Offers }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const choices = useOfferChoices(offers.items);
  const form = useForm({ offerId: offers.items[0]!.id, domain: '', email: '', password: '', name: '', postalAddress: '' });
  const me = session.me;
  const toPay = (invoice: string) => navigate({ to: '/invoices/$invoice', params: { invoice } });
  if (session.loading) return <Loading />;
  if (me && session.isStaff) return <p className="hint">{t('order.staffHere')} <Link to="/orders">{t('nav.orders')}</Link></p>;
  const domain = (v: typeof form.values) => (v.domain.trim() ? { domain: v.domain.trim() } : {});
  if (me) {
    const owned = me.customers.filter((c) => c.role === 'owner');
    const submit = async (v: typeof form.values) => {
      const o = await change('post', '/orders', { body: { offerId: v.offerId, ...domain(v), ...(owned.length === 1 ? { customerId: owned[0]!.customerId } : {}) } });
      await toPay(o.invoice.number);
    };
    return (
      <Form form={form} onSubmit={submit} submitLabel={t('order.submit')} label={t('order.publicTitle')}>
        <ChoiceField name="offerId" label={t('order.offer')} options={choices} />
        <TextField name="domain" label={t('order.domain')} hint={t('order.domainHint')} />
      </Form>
    );
  }
  if (!offers.signup) {
    return <Notice kind="info"><p>{t('order.signupOff')}</p><p><Link to="/login" search={{ next: '/order' }}>{t('order.logIn')}</Link></p></Notice>;
  }
  const submit = async (v: typeof form.values) => {
    const r = await call('post', '/orders/signup', { body: { offerId: v.offerId, ...domain(v), email: v.email, password: v.password, name: v.name, postalAddress: v.postalAddress, locale } });
    await session.signedIn(r.me, { keepLocale: true });
    await toPay(r.order.invoice.number);
  };
  return (
    <>
      <p className="hint">{t('order.haveAccount')} <Link to="/login" search={{ next: '/order' }}>{t('order.logIn')}</Link></p>
      <Form form={form} onSubmit={submit} submitLabel={t('order.submitNew')} label={t('order.publicTitle')}>
        <ChoiceField name="offerId" label={t('order.offer')} options={choices} />
        <TextField name="domain" label={t('order.domain')} hint={t('order.domainHint')} />
        <TextField name="name" label={t('order.name')} hint={t('order.nameHint')} required />
        <TextArea name="postalAddress" label={t('order.postalAddress')} rows={3} required />
        <TextField name="email" label={t('field.email')} hint={t('order.accountHint')} type="email" autoComplete="email" required />
        <TextField name="password" label={t('field.password')} hint={t('field.passwordHint')} type="password" autoComplete="new-password" required />
      </Form>
    </>
  );
}
