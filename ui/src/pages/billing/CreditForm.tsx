// Staff credit an invoice: what is left of it, an amount (VAT included) or some of its lines. Several
// partial credits never go beyond the invoice (the API refuses, and says so).
import { useNavigate } from '@tanstack/react-router';
import type { Invoice } from '../../api/model.js';
import { change } from '../../api/query.js';
import { ChecklistField, ChoiceField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

type Values = { reason: string; what: string; amount: string; lines: string[] };

export function CreditForm({ invoice: i }: { invoice: Invoice }) {
  const { t, fmt } = useI18n();
  const navigate = useNavigate();
  const left = i.totalCents - i.creditedCents;
  const form = useForm<Values>({ reason: '', what: 'rest', amount: '', lines: [] }, {
    validate: (v) => [
      ...(v.reason.trim() ? [] : [issue('reason', 'required')]),
      ...(v.what === 'amount' && !(Number(v.amount.replace(',', '.')) > 0) ? [issue('amount', 'form.number')] : []),
      ...(v.what === 'lines' && !v.lines.length ? [issue('lines', 'required')] : []),
    ],
  });
  const submit = async (v: Values) => {
    const body = {
      reason: v.reason.trim(),
      ...(v.what === 'amount' ? { amountCents: Math.round(Number(v.amount.replace(',', '.')) * 100) } : {}),
      ...(v.what === 'lines' ? { lines: v.lines.map(Number) } : {}),
    };
    const credit = await change('post', '/invoices/{id}/credit', { path: { id: i.id }, body });
    await navigate({ to: '/invoices/$invoice', params: { invoice: credit.number } });
  };
  const what = form.values.what;
  return (
    <Section title={t('invoice.creditTitle')}>
      <p className="hint">{t('invoice.creditExplained')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('invoice.credit')} label={t('invoice.creditTitle')}>
        <ChoiceField name="what" label={t('lifecycle.creditWhat')} options={[
          { value: 'rest', label: t('lifecycle.creditRest', { amount: fmt.money(left, i.currency) }), explanation: t('lifecycle.creditRestExplained') },
          { value: 'amount', label: t('lifecycle.creditAmount'), explanation: t('lifecycle.creditAmountExplained') },
          { value: 'lines', label: t('lifecycle.creditLines'), explanation: t('lifecycle.creditLinesExplained') },
        ]} />
        {what === 'amount' && <TextField name="amount" label={t('lifecycle.amountField')} inputMode="numeric" required />}
        {what === 'lines' && <ChecklistField name="lines" label={t('lifecycle.linesField')}
          options={i.lines.map((l, n) => ({ value: String(n), label: `${l.description} — ${fmt.money(l.exCents + l.vatCents, i.currency)}` }))} />}
        <TextField name="reason" label={t('invoice.reason')} hint={t('invoice.reasonHint')} required />
      </Form>
    </Section>
  );
}
