// Staff: every hosting, and creating one for a customer with an offer.
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { change, useGet } from '../../api/query.js';
import { SelectField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { HostingsTable } from '../HostingsTable.js';

const newRoute = getRouteApi('/staff/hostings/new');

export function HostingsPage() {
  const { t } = useI18n();
  return (
    <Page title={t('nav.hostings')} actions={<Link to="/staff/hostings/new" search={{ customer: undefined }} className="button primary">{t('hosting.create')}</Link>}>
      <HostingsTable />
    </Page>
  );
}

export function NewHostingPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const preset = newRoute.useSearch().customer ?? '';
  const customer = useGet('/customers/{id}', { path: { id: preset } }, { enabled: !!preset });
  const offers = useGet('/offers', { query: { limit: 1000, sort: 'name' } });
  const servers = useGet('/servers', { query: { limit: 1000, sort: 'name' } });
  const offered = offers.data?.items.filter((o) => !o.archived) ?? [];
  const form = useForm({ customerId: preset, offerId: '', phpVersion: '', serverId: '' });
  const chosen = offered.find((o) => o.id === form.values.offerId);
  const submit = async (v: typeof form.values) => {
    const body = { customerId: v.customerId.trim(), offerId: v.offerId || offered[0]?.id || '', phpVersion: v.phpVersion || undefined, serverId: v.serverId || undefined };
    const h = await change('post', '/hostings', { body });
    await navigate({ to: '/hostings/$hosting', params: { hosting: h.name } });
  };
  const webServers = servers.data?.items.filter((s) => s.roles.includes('web')) ?? [];
  return (
    <Page title={t('hosting.create')} crumbs={[<Link to="/staff/hostings" activeOptions={{ exact: true }}>{t('nav.hostings')}</Link>]}>
      <Form form={form} onSubmit={submit} submitLabel={t('hosting.create')} actions={<Link to="/staff/hostings" className="button">{t('action.cancel')}</Link>}>
        <TextField name="customerId" label={t('hosting.customerField')} required
          hint={customer.data ? t('customer.title', { number: customer.data.number, name: customer.data.name }) : t('hosting.customerHint')} />
        <SelectField name="offerId" label={t('hosting.offer')} options={offered.map((o) => ({ value: o.id, label: o.name }))} />
        <SelectField name="phpVersion" label={t('hosting.phpDefault')} hint={t('hosting.phpHint')}
          options={[{ value: '', label: t('hosting.phpNewest') }, ...((chosen ?? offered[0])?.phpVersions.map((v) => ({ value: v, label: `PHP ${v}` })) ?? [])]} />
        <SelectField name="serverId" label={t('hosting.server')} hint={t('hosting.serverHint')}
          options={[{ value: '', label: t('hosting.serverAuto') }, ...webServers.map((s) => ({ value: s.id, label: s.name }))]} />
      </Form>
    </Page>
  );
}
