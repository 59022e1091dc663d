// Staff: create or change an offer — price, billing cycle, quotas, features, PHP versions.
import { api } from '../../api/client.js';
import type { Offer } from '../../api/types.js';
import { useResource } from '../../api/use-resource.js';
import { CheckboxField, SelectField, TextField } from '../../components/fields.js';
import { fieldError, Form, useForm } from '../../components/form.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/catalog.js';
import { Link, navigate } from '../../router.js';

export function NewOfferPage() {
  return <OfferForm offer={null} />;
}

export function EditOfferPage({ id }: { id: string }) {
  const offer = useResource<Offer>(`/api/v1/offers/${encodeURIComponent(id)}`);
  return <Loaded resource={offer}>{(o) => <OfferForm offer={o} />}</Loaded>;
}

const quotas: Array<[keyof Offer & string, MessageKey]> = [
  ['diskMb', 'offer.diskMb'], ['maxSites', 'offer.maxSites'], ['maxMailboxes', 'offer.maxMailboxes'], ['mailMb', 'offer.mailMb'],
  ['maxDatabases', 'offer.maxDatabases'], ['databaseMb', 'offer.databaseMb'], ['maxFtpUsers', 'offer.maxFtpUsers'],
  ['phpMaxChildren', 'offer.phpMaxChildren'], ['phpMemoryMb', 'offer.phpMemoryMb'],
];
/** what a new offer starts with (the API's defaults for the PHP limits) */
const startValues: Partial<Record<string, string>> = { phpMaxChildren: '5', phpMemoryMb: '256' };

function toNumber(name: string, text: string, scale = 1) {
  const n = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(n)) throw fieldError(name, 'must be a number');
  return Math.round(n * scale);
}

function OfferForm({ offer }: { offer: Offer | null }) {
  const { t } = useI18n();
  const initial = {
    name: offer?.name ?? '',
    priceCents: offer ? (offer.priceCents / 100).toFixed(2) : '',
    currency: offer?.currency ?? 'EUR',
    billingCycle: offer?.billingCycle ?? 'monthly',
    ...Object.fromEntries(quotas.map(([k]) => [k, String(offer?.[k] ?? startValues[k] ?? '')])),
    phpVersions: offer?.phpVersions.join(', ') ?? '8.2',
    sshAllowed: offer?.sshAllowed ?? false,
    tlsAllowed: offer?.tlsAllowed ?? true,
    archived: offer?.archived ?? false,
  } as Record<string, string | boolean>;
  const form = useForm(initial);
  const submit = async (v: typeof initial) => {
    const body = {
      name: v.name,
      priceCents: toNumber('priceCents', String(v.priceCents), 100),
      currency: String(v.currency).toUpperCase(),
      billingCycle: v.billingCycle,
      ...Object.fromEntries(quotas.map(([k]) => [k, toNumber(k, String(v[k]))])),
      phpVersions: String(v.phpVersions).split(/[\s,]+/).filter(Boolean),
      sshAllowed: v.sshAllowed,
      tlsAllowed: v.tlsAllowed,
      archived: v.archived,
    };
    if (offer) await api<Offer>('PATCH', `/api/v1/offers/${offer.id}`, body);
    else await api<Offer>('POST', '/api/v1/offers', body);
    navigate('/staff/offers');
  };
  return (
    <Page title={offer ? t('offer.editTitle', { name: offer.name }) : t('offer.create')} crumbs={[{ label: t('nav.offers'), to: '/staff/offers' }]}>
      <Form form={form} onSubmit={submit} submitLabel={offer ? t('action.save') : t('offer.create')} actions={<Link to="/staff/offers" className="button">{t('action.cancel')}</Link>}>
        <TextField name="name" label={t('field.name')} required />
        <div className="field-row">
          <TextField name="priceCents" label={t('offer.priceField')} inputMode="numeric" hint={t('offer.priceHint')} required />
          <TextField name="currency" label={t('offer.currency')} hint={t('offer.currencyHint')} />
          <SelectField name="billingCycle" label={t('offer.billingCycle')}
            options={(['monthly', 'quarterly', 'yearly'] as const).map((c) => ({ value: c, label: t(`cycle.${c}`) }))} />
        </div>
        <Section title={t('offer.quotas')}>
          <div className="field-grid">
            {quotas.map(([k, key]) => <TextField key={k} name={k} label={t(key)} inputMode="numeric" required />)}
          </div>
        </Section>
        <TextField name="phpVersions" label={t('offer.phpVersions')} hint={t('offer.phpVersionsHint')} />
        <CheckboxField name="tlsAllowed" label={t('offer.tlsAllowed')} hint={t('offer.tlsHint')} />
        <CheckboxField name="sshAllowed" label={t('offer.sshAllowed')} />
        <CheckboxField name="archived" label={t('offer.archivedField')} hint={t('offer.archivedHint')} />
      </Form>
    </Page>
  );
}
