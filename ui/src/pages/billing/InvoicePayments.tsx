// An invoice's payments on its page: its status, what was paid and what is left (or due back once
// credited), how to pay by bank transfer (the seller's IBAN and the invoice's RF reference), the
// payments and refunds recorded; staff record a cheque, cash or a transfer, or a refund.
import type { Invoice } from '../../api/model.js';
import { change, useGet, type Answer } from '../../api/query.js';
import { SelectField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

type Payment = Answer<'/invoices/{id}/payments'>[number];
const methods = ['transfer', 'cheque', 'cash', 'other'] as const;
type Method = (typeof methods)[number];

/** "12.50" or "12,50" → 1250 cents; null when it is not an amount. */
export function cents(s: string): number | null {
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s.trim());
  const v = m ? Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0')) : 0;
  return v > 0 ? v : null;
}

const groups = (s: string) => s.replace(/(.{4})(?=.)/g, '$1 ');

export function InvoicePayments({ invoice: i }: { invoice: Invoice }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  const answer = useGet('/invoices/{id}/payments', { path: { id: i.id } });
  if (i.kind === 'proforma') return null;
  const money = (c: number) => fmt.money(c, i.currency);
  const list = answer.data ?? [];
  const owed = i.status === 'unpaid' || i.status === 'partially_paid';
  return (
    <Section title={t('payment.title')}>
      {i.kind === 'invoice' && i.status && (
        <dl className="facts" data-testid="invoice-balance">
          <dt>{t('invoice.status')}</dt><dd><span className={`badge badge-payment-${i.status}`}>{t(`invoice.status.${i.status}`)}</span></dd>
          <dt>{t('payment.paid')}</dt><dd>{money(i.paidCents)}</dd>
          {i.balanceCents >= 0
            ? <><dt>{t('payment.balance')}</dt><dd><strong>{money(i.balanceCents)}</strong></dd></>
            : <><dt>{t('payment.refundDue')}</dt><dd><strong>{money(-i.balanceCents)}</strong></dd></>}
        </dl>
      )}
      {owed && i.paymentReference && i.seller.iban && (
        <div data-testid="transfer">
          <p>{t('payment.howToPay', { name: i.seller.name })}</p>
          <dl className="facts">
            <dt>{t('payment.iban')}</dt><dd className="mono">{groups(i.seller.iban)}</dd>
            {i.seller.bic && <><dt>{t('payment.bic')}</dt><dd className="mono">{i.seller.bic}</dd></>}
            <dt>{t('payment.transferReference')}</dt><dd className="mono">{groups(i.paymentReference)}</dd>
          </dl>
        </div>
      )}
      {list.length > 0 ? <PaymentsTable payments={list} currency={i.currency} /> : answer.data && <p className="hint">{t('payment.none')}</p>}
      {isStaff && i.kind === 'invoice' && owed && <RecordForm key={i.balanceCents} invoice={i} kind="payment" />}
      {isStaff && i.kind === 'invoice' && i.status === 'credited' && i.balanceCents < 0 && <RecordForm key={i.balanceCents} invoice={i} kind="refund" />}
    </Section>
  );
}

function PaymentsTable({ payments, currency }: { payments: Payment[]; currency: string }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  return (
    <table className="table" data-testid="payments">
      <caption>{t('payment.list')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('payment.receivedOn')}</th><th scope="col" className="num">{t('payment.amount')}</th><th scope="col">{t('payment.method')}</th>
          <th scope="col">{t('payment.reference')}</th>{isStaff && <th scope="col">{t('payment.recordedBy')}</th>}
        </tr>
      </thead>
      <tbody>
        {payments.map((p) => (
          <tr key={p.id}>
            <td className="nowrap">{fmt.date(p.receivedOn)}</td>
            <td className="num">{p.amountCents < 0 ? t('payment.refundOf', { amount: fmt.money(-p.amountCents, currency), creditNote: p.creditNote?.number ?? '' }) : fmt.money(p.amountCents, currency)}</td>
            <td>{t(`payment.method.${p.method}`)}</td>
            <td>{p.reference || '—'}</td>
            {isStaff && <td>{p.recordedBy}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Values = { amount: string; method: Method; reference: string; receivedOn: string };

function RecordForm({ invoice: i, kind }: { invoice: Invoice; kind: 'payment' | 'refund' }) {
  const { t, fmt } = useI18n();
  const most = Math.abs(i.balanceCents);
  const initial: Values = { amount: (most / 100).toFixed(2), method: kind === 'refund' ? 'transfer' : 'cheque', reference: '', receivedOn: '' };
  const form = useForm<Values>(initial, {
    validate: (v) => [
      ...(cents(v.amount) === null ? [issue('amount', 'form.amount')] : []),
      ...(v.receivedOn && !/^\d{4}-\d{2}-\d{2}$/.test(v.receivedOn) ? [issue('receivedOn', 'form.date')] : []),
    ],
    fieldOf: (f) => (f === 'amountCents' ? 'amount' : f === 'reference' || f === 'receivedOn' || f === 'method' ? f : undefined),
  });
  const submit = async (v: Values) => {
    const body = { amountCents: cents(v.amount)!, method: v.method, reference: v.reference.trim(), ...(v.receivedOn ? { receivedOn: v.receivedOn } : {}) };
    if (kind === 'refund') await change('post', '/invoices/{id}/refunds', { path: { id: i.id }, body });
    else await change('post', '/invoices/{id}/payments', { path: { id: i.id }, body });
  };
  const title = t(kind === 'refund' ? 'payment.refundTitle' : 'payment.recordTitle');
  return (
    <Form form={form} onSubmit={submit} submitLabel={t(kind === 'refund' ? 'payment.recordRefund' : 'payment.record')} label={title}>
      <h3>{title}</h3>
      <p className="hint">{t(kind === 'refund' ? 'payment.refundExplained' : 'payment.recordExplained', { amount: fmt.money(most, i.currency) })}</p>
      <div className="field-row">
        <TextField name="amount" label={t('payment.amountLabel', { currency: i.currency })} hint={t('payment.amountHint')} inputMode="numeric" required />
        <SelectField name="method" label={t('payment.method')} options={methods.map((m) => ({ value: m, label: t(`payment.method.${m}`) }))} />
      </div>
      <div className="field-row">
        <TextField name="reference" label={t('payment.reference')} hint={t('payment.referenceHint')} />
        <TextField name="receivedOn" label={t(kind === 'refund' ? 'payment.refundedOn' : 'payment.receivedOn')} type="date" hint={t('payment.receivedOnHint')} />
      </div>
    </Form>
  );
}
