// Staff: every hosting, and creating one for a customer with an offer.
import { api, withQuery } from '../../api/client.js';
import type { Customer, Hosting, Offer, Page as ApiPage, Server } from '../../api/types.js';
import { useResource } from '../../api/use-resource.js';
import { SelectField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link, navigate, useLocation } from '../../router.js';
import { HostingsTable } from '../HostingsTable.js';

export function HostingsPage() {
  const { t } = useI18n();
  return (
    <Page title={t('nav.hostings')} actions={<Link to="/staff/hostings/new" className="button primary">{t('hosting.create')}</Link>}>
      <HostingsTable />
    </Page>
  );
}

export function NewHostingPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const preset = query.get('customer') ?? '';
  const customer = useResource<Customer>(preset ? `/api/v1/customers/${encodeURIComponent(preset)}` : null);
  const offers = useResource<ApiPage<Offer>>(withQuery('/api/v1/offers', { limit: 1000, sort: 'name' }));
  const servers = useResource<ApiPage<Server>>(withQuery('/api/v1/servers', { limit: 1000, sort: 'name' }));
  const offered = offers.data?.items.filter((o) => !o.archived) ?? [];
  const form = useForm({ customerId: customer.data ? String(customer.data.number) : preset, offerId: '', phpVersion: '', serverId: '' });
  const chosen = offered.find((o) => o.id === form.values.offerId);
  const submit = async (v: typeof form.values) => {
    const body = { customerId: v.customerId.trim(), offerId: v.offerId || offered[0]?.id || '', phpVersion: v.phpVersion || undefined, serverId: v.serverId || undefined };
    const h = await api<Hosting>('POST', '/api/v1/hostings', body);
    navigate(`/hostings/${h.id}`);
  };
  const webServers = servers.data?.items.filter((s) => s.roles.includes('web')) ?? [];
  return (
    <Page title={t('hosting.create')} crumbs={[{ label: t('nav.hostings'), to: '/staff/hostings' }]}>
      <Form form={form} onSubmit={submit} submitLabel={t('hosting.create')} actions={<Link to="/staff/hostings" className="button">{t('action.cancel')}</Link>}>
        <TextField name="customerId" label={t('hosting.customerField')} hint={customer.data ? t('customer.title', { number: customer.data.number, name: customer.data.name }) : t('hosting.customerHint')} required />
        <SelectField name="offerId" label={t('hosting.offer')} options={offered.map((o) => ({ value: o.id, label: o.name }))} />
        <SelectField name="phpVersion" label={t('hosting.phpDefault')} hint={t('hosting.phpHint')}
          options={[{ value: '', label: t('hosting.phpNewest') }, ...(chosen ?? offered[0])?.phpVersions.map((v) => ({ value: v, label: `PHP ${v}` })) ?? []]} />
        <SelectField name="serverId" label={t('hosting.server')} hint={t('hosting.serverHint')}
          options={[{ value: '', label: t('hosting.serverAuto') }, ...webServers.map((s) => ({ value: s.id, label: s.name }))]} />
      </Form>
    </Page>
  );
}
