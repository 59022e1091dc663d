// A hosting's service on its page: its price and cycle, its due date and when its renewal invoice
// goes out, its invoices; staff issue the next invoice or a proforma now, or move the due date.
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Hosting, Service } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { InvoicesTable } from './InvoicesTable.js';
import { HostingDunning } from './DunningPanel.js';
import { ServiceLifecycle } from './ServiceLifecycle.js';

export function HostingService({ hosting }: { hosting: Hosting }) {
  const { t } = useI18n();
  const answer = useGet('/hostings/{id}/service', { path: { id: hosting.id } });
  return (
    <Section title={t('service.title')}>
      <HostingDunning hosting={hosting} />
      {answer.data && <ServiceFacts service={answer.data} />}
      {answer.data && <ServiceLifecycle hosting={hosting} service={answer.data} />}
      <InvoicesTable hostingId={hosting.id} />
    </Section>
  );
}

function ServiceFacts({ service: s }: { service: Service }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const { isStaff } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<Phrase | null>(null);
  const issueNow = async (kind: 'invoice' | 'proforma') => {
    setError(null);
    try {
      const inv = await change('post', '/invoices', { body: { hostingId: s.hostingId, kind } });
      await navigate({ to: '/invoices/$invoice', params: { invoice: inv.number } });
    } catch (e) {
      setError(problemPhrase(e, i18n));
    }
  };
  return (
    <>
      <dl className="facts" data-testid="service">
        <dt>{t('service.price')}</dt><dd>{t('service.pricePer', { price: fmt.money(s.priceCents, s.currency), cycle: t(`cycle.${s.billingCycle}`) })}{s.vatRateBp ? ` ${t('service.plusVat', { rate: fmt.number(s.vatRateBp / 100) })}` : ''}</dd>
        <dt>{t('service.dueDate')}</dt><dd>{s.dueDate ? fmt.date(s.dueDate) : t('service.notBilled')}</dd>
        {s.renewalInvoiceOn && <><dt>{t('service.renewalInvoiceOn')}</dt><dd>{fmt.date(s.renewalInvoiceOn)}</dd></>}
      </dl>
      {isStaff && s.hostingStatus !== 'terminated' && (
        <>
          <div className="form-actions">
            <button type="button" onClick={() => void issueNow('invoice')}>{t('service.issueInvoice')}</button>
            <button type="button" onClick={() => void issueNow('proforma')}>{t('service.issueProforma')}</button>
          </div>
          {error && <div className="notice notice-error" role="alert"><p><Say phrase={error} /></p></div>}
          <DueDateForm service={s} />
        </>
      )}
    </>
  );
}

function DueDateForm({ service: s }: { service: Service }) {
  const { t } = useI18n();
  const form = useForm({ dueDate: s.dueDate ?? '' }, { validate: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v.dueDate) ? [] : [issue('dueDate', 'form.date')]) });
  const submit = async (v: { dueDate: string }) => {
    await change('patch', '/hostings/{id}/service', { path: { id: s.hostingId }, body: { dueDate: v.dueDate } });
  };
  return (
    <Form form={form} onSubmit={submit} submitLabel={t('service.moveDueDate')} label={t('service.moveDueDate')}>
      <TextField name="dueDate" label={t('service.dueDate')} type="date" hint={t('service.dueDateHint')} />
    </Form>
  );
}
