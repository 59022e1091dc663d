// Staff: the seller's legal details and billing settings (/staff/billing) — name, address,
// association or company number, VAT status (rates or an exemption mention), payment terms,
// late-payment mentions, and when renewal invoices go out. Issued invoices keep what they said.
import { Link } from '@tanstack/react-router';
import type { Seller, VatMode } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { SelectField, TextArea, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Notice } from '../../components/Notice.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { AccountingSettings } from './AccountingSettings.js';
import { DunningSettings } from './DunningSettings.js';

const vatModes: VatMode[] = ['franchise', 'nonprofit', 'vat'];

export function SellerPage() {
  const answer = useGet('/billing/seller', {});
  return <Loaded query={answer}>{(s) => <SellerForm seller={s} />}</Loaded>;
}

type Values = Record<'name' | 'address' | 'registration' | 'vatNumber' | 'email' | 'vatMode' | 'vatRate' | 'paymentTerms' | 'latePayment' | 'paymentDays' | 'renewalDays' | 'orderDays' | 'iban' | 'bic', string>;
const whole = (s: string) => /^\d{1,3}$/.test(s.trim());
const percent = (s: string) => /^\d{1,3}([.,]\d{1,2})?$/.test(s.trim()) && Number(s.trim().replace(',', '.')) <= 100;

function check(v: Values) {
  return [
    ...(['paymentDays', 'renewalDays', 'orderDays'] as const).filter((k) => !whole(v[k])).map((k) => issue(k, 'form.whole_number')),
    ...(percent(v.vatRate) ? [] : [issue('vatRate', 'form.number')]),
  ];
}

function SellerForm({ seller: s }: { seller: Seller }) {
  const { t } = useI18n();
  const form = useForm<Values>({
    name: s.name, address: s.address, registration: s.registration, vatNumber: s.vatNumber, email: s.email, vatMode: s.vatMode,
    vatRate: String(s.defaultVatRateBp / 100), paymentTerms: s.paymentTerms, latePayment: s.latePayment, paymentDays: String(s.paymentDays), renewalDays: String(s.renewalDays), orderDays: String(s.orderDays),
    iban: s.iban, bic: s.bic,
  }, { validate: check });
  const submit = async (v: Values) => {
    await change('patch', '/billing/seller', {
      body: {
        name: v.name.trim(), address: v.address, registration: v.registration.trim(), vatNumber: v.vatNumber.trim(), email: v.email.trim(), vatMode: v.vatMode as VatMode,
        defaultVatRateBp: Math.round(Number(v.vatRate.trim().replace(',', '.')) * 100), paymentTerms: v.paymentTerms, latePayment: v.latePayment,
        paymentDays: Number(v.paymentDays), renewalDays: Number(v.renewalDays), orderDays: Number(v.orderDays), iban: v.iban, bic: v.bic,
      },
    });
  };
  return (
    <Page title={t('nav.billing')} crumbs={[<Link to="/invoices" activeOptions={{ exact: true }}>{t('nav.invoices')}</Link>]}>
      {s.missing.length > 0 ? <Notice kind="warning"><p>{t('seller.missing')}</p></Notice> : <p className="hint">{t('seller.explained')}</p>}
      <Form form={form} onSubmit={submit} submitLabel={t('action.save')}>
        <Section title={t('seller.identity')}>
          <TextField name="name" label={t('seller.name')} hint={t('seller.nameHint')} required />
          <TextArea name="address" label={t('seller.address')} rows={3} required />
          <div className="field-row">
            <TextField name="registration" label={t('seller.registration')} hint={t('seller.registrationHint')} />
            <TextField name="email" label={t('seller.email')} inputMode="email" />
          </div>
        </Section>
        <Section title={t('seller.vat')}>
          <SelectField name="vatMode" label={t('seller.vatMode')} options={vatModes.map((m) => ({ value: m, label: t(`seller.vatMode.${m}`) }))} />
          <div className="field-row">
            <TextField name="vatRate" label={t('seller.vatRate')} hint={t('seller.vatRateHint')} inputMode="numeric" />
            <TextField name="vatNumber" label={t('seller.vatNumber')} />
          </div>
        </Section>
        <Section title={t('seller.payment')}>
          <TextArea name="paymentTerms" label={t('seller.paymentTerms')} hint={t('seller.paymentTermsHint')} rows={2} />
          <TextArea name="latePayment" label={t('seller.latePayment')} hint={t('seller.latePaymentHint')} rows={2} />
          <div className="field-row">
            <TextField name="paymentDays" label={t('seller.paymentDays')} hint={t('seller.paymentDaysHint')} inputMode="numeric" />
            <TextField name="renewalDays" label={t('seller.renewalDays')} hint={t('seller.renewalDaysHint')} inputMode="numeric" />
            <TextField name="orderDays" label={t('seller.orderDays')} hint={t('seller.orderDaysHint')} inputMode="numeric" />
          </div>
        </Section>
        <Section title={t('seller.bank')}>
          <div className="field-row">
            <TextField name="iban" label={t('seller.iban')} hint={t('seller.ibanHint')} />
            <TextField name="bic" label={t('seller.bic')} />
          </div>
        </Section>
      </Form>
      <AccountingSettings seller={s} />
      <DunningSettings />
    </Page>
  );
}
