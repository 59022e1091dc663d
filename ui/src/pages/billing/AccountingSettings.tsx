// Staff: the accounting settings on the billing settings page, a form of their own — the FEC's
// accounts (customers 411, revenue 706, VAT collected 44571, bank 512 by default), the SIREN its file is named
// after, and the Factur-X option (off: plain PDF invoices).
import type { Seller } from '../../api/model.js';
import { change } from '../../api/query.js';
import { CheckboxField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

type Values = { customerAccount: string; revenueAccount: string; vatAccount: string; bankAccount: string; siren: string; facturX: boolean };

export function AccountingSettings({ seller: s }: { seller: Seller }) {
  const { t } = useI18n();
  const form = useForm<Values>({ customerAccount: s.customerAccount, revenueAccount: s.revenueAccount, vatAccount: s.vatAccount, bankAccount: s.bankAccount, siren: s.siren, facturX: s.facturX });
  const submit = async (v: Values) => {
    await change('patch', '/billing/seller', {
      body: { customerAccount: v.customerAccount.trim(), revenueAccount: v.revenueAccount.trim(), vatAccount: v.vatAccount.trim(), bankAccount: v.bankAccount.trim(), siren: v.siren.replace(/\s/g, ''), facturX: v.facturX },
    });
  };
  return (
    <Section title={t('exports.settings')}>
      <Form form={form} onSubmit={submit} submitLabel={t('exports.save')} label={t('exports.settings')}>
        <div className="field-row">
          <TextField name="customerAccount" label={t('exports.customerAccount')} hint={t('exports.customerAccountHint')} />
          <TextField name="revenueAccount" label={t('exports.revenueAccount')} />
          <TextField name="vatAccount" label={t('exports.vatAccount')} />
          <TextField name="bankAccount" label={t('exports.bankAccount')} hint={t('exports.bankAccountHint')} />
        </div>
        <TextField name="siren" label={t('exports.siren')} hint={t('exports.sirenHint')} inputMode="numeric" />
        <CheckboxField name="facturX" label={t('exports.facturX')} hint={t('exports.facturXHint')} />
      </Form>
    </Section>
  );
}
