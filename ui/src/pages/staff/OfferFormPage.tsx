// Staff: create or change an offer — price, billing cycle, quotas, features, PHP versions. A new
// offer starts from the API's defaults (read from its OpenAPI document); every problem of the form
// is shown at once, under its field.
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import type { FieldIssue } from '../../api/client.js';
import { operations } from '../../api/generated/operations.js';
import type { Offer } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { CheckboxField, SelectField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import type { MessageKey } from '../../i18n/catalog.js';
import { useI18n } from '../../i18n/i18n.js';

const editRoute = getRouteApi('/staff/offers/$offer');

export function NewOfferPage() {
  return <OfferForm offer={null} />;
}

export function EditOfferPage() {
  const { offer } = editRoute.useParams();
  const answer = useGet('/offers/{id}', { path: { id: offer } });
  return <Loaded query={answer}>{(o) => <OfferForm offer={o} />}</Loaded>;
}

type Quota = 'diskMb' | 'maxSites' | 'maxMailboxes' | 'mailMb' | 'maxDatabases' | 'databaseMb' | 'maxFtpUsers' | 'phpMaxChildren' | 'phpMemoryMb' | 'phpUploadMaxMb' | 'phpMaxExecutionSeconds' | 'maxCronTasks' | 'cronMaxRunSeconds' | 'mailSendPerHour' | 'mailSendPerDay'
  | 'snapshotsHourly' | 'snapshotsDaily' | 'snapshotsWeekly' | 'snapshotsMonthly' | 'backupKeepDaily' | 'backupKeepWeekly';
const quotas: Array<[Quota, MessageKey, MessageKey]> = [
  ['diskMb', 'offer.diskMb', 'offer.diskMbHint'], ['maxSites', 'offer.maxSites', 'offer.maxSitesHint'],
  ['maxMailboxes', 'offer.maxMailboxes', 'offer.maxMailboxesHint'], ['mailMb', 'offer.mailMb', 'offer.mailMbHint'],
  ['maxDatabases', 'offer.maxDatabases', 'offer.maxDatabasesHint'], ['databaseMb', 'offer.databaseMb', 'offer.databaseMbHint'],
  ['maxFtpUsers', 'offer.maxFtpUsers', 'offer.maxFtpUsersHint'], ['phpMaxChildren', 'offer.phpMaxChildren', 'offer.phpMaxChildrenHint'],
  ['phpMemoryMb', 'offer.phpMemoryMb', 'offer.phpMemoryMbHint'],
  ['phpUploadMaxMb', 'offer.phpUploadMaxMb', 'offer.phpUploadMaxMbHint'], ['phpMaxExecutionSeconds', 'offer.phpMaxExecutionSeconds', 'offer.phpMaxExecutionSecondsHint'],
  ['maxCronTasks', 'offer.maxCronTasks', 'offer.maxCronTasksHint'], ['cronMaxRunSeconds', 'offer.cronMaxRunSeconds', 'offer.cronMaxRunSecondsHint'],
  ['mailSendPerHour', 'offer.mailSendPerHour', 'offer.mailSendPerHourHint'], ['mailSendPerDay', 'offer.mailSendPerDay', 'offer.mailSendPerDayHint'],
  ['snapshotsHourly', 'offer.snapshotsHourly', 'offer.snapshotsHourlyHint'], ['snapshotsDaily', 'offer.snapshotsDaily', 'offer.snapshotsDailyHint'],
  ['snapshotsWeekly', 'offer.snapshotsWeekly', 'offer.snapshotsWeeklyHint'], ['snapshotsMonthly', 'offer.snapshotsMonthly', 'offer.snapshotsMonthlyHint'],
  ['backupKeepDaily', 'offer.backupKeepDaily', 'offer.backupKeepDailyHint'], ['backupKeepWeekly', 'offer.backupKeepWeekly', 'offer.backupKeepWeeklyHint'],
];

/** What the API gives a field of a new offer when it is left out. */
const apiDefault = (field: string) => operations['POST /offers']?.body[field]?.default;
const defaultText = (field: string) => {
  const d = apiDefault(field);
  return typeof d === 'number' || typeof d === 'string' ? String(d) : '';
};

const parse = (text: string, scale = 1) => Math.round(Number(text.trim().replace(',', '.')) * scale);
const isNumber = (text: string) => text.trim() !== '' && Number.isFinite(Number(text.trim().replace(',', '.')));

type Values = Record<string, string | boolean>;

/** Every problem the form can see before asking the API. */
function check(v: Values): FieldIssue[] {
  const found: FieldIssue[] = [];
  if (!String(v.name).trim()) found.push(issue('name', 'required'));
  if (!isNumber(String(v.priceCents))) found.push(issue('priceCents', 'form.number'));
  if (String(v.vatRate).trim() && !isNumber(String(v.vatRate))) found.push(issue('vatRate', 'form.number'));
  for (const [k] of quotas) {
    const text = String(v[k]);
    if (!isNumber(text)) found.push(issue(k, 'form.number'));
    else if (!Number.isInteger(Number(text.trim()))) found.push(issue(k, 'form.whole_number'));
  }
  if (!String(v.phpVersions).split(/[\s,]+/).some(Boolean)) found.push(issue('phpVersions', 'required'));
  return found;
}

function OfferForm({ offer }: { offer: Offer | null }) {
  const { t, fmt } = useI18n();
  const navigate = useNavigate();
  const initial: Values = {
    name: offer?.name ?? '',
    priceCents: offer ? (offer.priceCents / 100).toFixed(2) : '',
    currency: offer?.currency ?? (defaultText('currency') || 'EUR'),
    billingCycle: offer?.billingCycle ?? (defaultText('billingCycle') || 'monthly'),
    vatRate: offer?.vatRateBp == null ? '' : String(offer.vatRateBp / 100),
    ...Object.fromEntries(quotas.map(([k]) => [k, offer ? String(offer[k]) : defaultText(k)])),
    phpVersions: offer?.phpVersions.join(', ') ?? (Array.isArray(apiDefault('phpVersions')) ? (apiDefault('phpVersions') as string[]).join(', ') : '8.2'),
    sshAllowed: offer?.sshAllowed ?? apiDefault('sshAllowed') === true,
    tlsAllowed: offer?.tlsAllowed ?? apiDefault('tlsAllowed') !== false,
    archived: offer?.archived ?? false,
    selfService: offer?.selfService ?? false,
    orderable: offer?.orderable ?? false,
  };
  const form = useForm(initial, { validate: check });
  const submit = async (v: Values) => {
    const body = {
      name: String(v.name).trim(),
      priceCents: parse(String(v.priceCents), 100),
      currency: String(v.currency).toUpperCase(),
      billingCycle: v.billingCycle as Offer['billingCycle'],
      vatRateBp: String(v.vatRate).trim() ? parse(String(v.vatRate), 100) : null,
      ...(Object.fromEntries(quotas.map(([k]) => [k, parse(String(v[k]))])) as Record<Quota, number>),
      phpVersions: String(v.phpVersions).split(/[\s,]+/).filter(Boolean),
      sshAllowed: !!v.sshAllowed,
      tlsAllowed: !!v.tlsAllowed,
      archived: !!v.archived,
      selfService: !!v.selfService,
      orderable: !!v.orderable,
    };
    if (offer) await change('patch', '/offers/{id}', { path: { id: offer.id }, body });
    else await change('post', '/offers', { body });
    await navigate({ to: '/staff/offers' });
  };
  const hint = (k: Quota, key: MessageKey) => {
    const d = apiDefault(k);
    return typeof d === 'number' ? `${t(key)} ${t('offer.defaultIs', { value: fmt.number(d) })}` : t(key);
  };
  return (
    <Page title={offer ? t('offer.editTitle', { name: offer.name }) : t('offer.create')} crumbs={[<Link to="/staff/offers" activeOptions={{ exact: true }}>{t('nav.offers')}</Link>]}>
      <Form form={form} onSubmit={submit} submitLabel={offer ? t('action.save') : t('offer.create')} actions={<Link to="/staff/offers" className="button">{t('action.cancel')}</Link>}>
        <TextField name="name" label={t('field.name')} required />
        <div className="field-row">
          <TextField name="priceCents" label={t('offer.priceField')} inputMode="numeric" hint={t('offer.priceHint')} required />
          <TextField name="currency" label={t('offer.currency')} hint={t('offer.currencyHint')} />
          <SelectField name="billingCycle" label={t('offer.billingCycle')}
            options={(['monthly', 'quarterly', 'yearly'] as const).map((c) => ({ value: c, label: t(`cycle.${c}`) }))} />
          <TextField name="vatRate" label={t('offer.vatRate')} hint={t('offer.vatRateHint')} inputMode="numeric" />
        </div>
        <Section title={t('offer.quotas')}>
          <div className="field-grid">
            {quotas.map(([k, label, help]) => <TextField key={k} name={k} label={t(label)} hint={hint(k, help)} inputMode="numeric" required />)}
          </div>
        </Section>
        <TextField name="phpVersions" label={t('offer.phpVersions')} hint={t('offer.phpVersionsHint')} required />
        <CheckboxField name="tlsAllowed" label={t('offer.tlsAllowed')} hint={t('offer.tlsHint')} />
        <CheckboxField name="sshAllowed" label={t('offer.sshAllowed')} />
        <CheckboxField name="selfService" label={t('lifecycle.selfServiceField')} hint={t('lifecycle.selfServiceHint')} />
        <CheckboxField name="orderable" label={t('order.orderableField')} hint={t('order.orderableHint')} />
        <CheckboxField name="archived" label={t('offer.archivedField')} hint={t('offer.archivedHint')} />
      </Form>
    </Page>
  );
}
