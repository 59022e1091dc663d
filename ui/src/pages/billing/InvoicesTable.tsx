// Invoices, proformas and credit notes, newest first: a customer's users see theirs, staff all (the
// API decides). Each row links to its page and downloads its PDF — in every state of the account.
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Invoice, InvoiceKind } from '../../api/model.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

export const invoiceKinds: InvoiceKind[] = ['invoice', 'proforma', 'credit_note'];
type InvoiceStatus = NonNullable<Invoice['status']>;
const invoiceStatuses: InvoiceStatus[] = ['unpaid', 'partially_paid', 'paid', 'credited'];

/** Where an invoice's PDF downloads from (the session cookie goes with it). */
export const pdfHref = (id: string) => `/api/v1/invoices/${encodeURIComponent(id)}/pdf`;

export function InvoicesTable({ hostingId }: { hostingId?: string }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  const [kind, setKind] = useState<InvoiceKind | ''>('');
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const list = useList('/invoices', { defaultSort: '-issuedAt', filters: { kind: kind || undefined, status: status || undefined, hostingId } });
  const columns: Column<Invoice>[] = [
    { id: 'number', header: t('invoice.number'), sort: 'number', rowHeader: true, className: 'nowrap', cell: (i) => <Link to="/invoices/$invoice" params={{ invoice: i.number }}>{i.number}</Link> },
    { id: 'kind', header: t('invoice.kind'), cell: (i) => t(`invoice.kind.${i.kind}`) },
    { id: 'issuedAt', header: t('invoice.issueDate'), sort: 'issuedAt', className: 'nowrap', cell: (i) => fmt.date(i.issueDate) },
    ...(isStaff ? [{ id: 'customer', header: t('invoice.customer'), cell: (i: Invoice) => i.buyer.name }] : []),
    { id: 'period', header: t('invoice.period'), cell: (i) => (i.periodStart && i.periodEnd ? t('invoice.periodRange', { from: fmt.date(i.periodStart), to: fmt.date(lastDay(i.periodEnd)) }) : '—') },
    { id: 'total', header: t('invoice.total'), sort: 'totalCents', className: 'num', cell: (i) => fmt.money(i.totalCents, i.currency) },
    { id: 'state', header: t('field.status'), cell: (i) => (i.creditedBy ? t('invoice.creditedBy', { number: i.creditedBy.number }) : i.kind === 'invoice' ? t('invoice.dueOn', { date: fmt.date(i.paymentDue) }) : '—') },
    { id: 'payment', header: t('invoice.status'), cell: (i) => (i.status ? t(`invoice.status.${i.status}`) : '—') },
    { id: 'pdf', header: t('invoice.pdf'), cell: (i) => <a href={pdfHref(i.id)} download={`${i.number}.pdf`} aria-label={t('invoice.downloadOne', { number: i.number })}>PDF</a> },
  ];
  const toolbar = (
    <div className="search filter">
      <label htmlFor="invoice-kind">{t('invoice.kind')}</label>
      <select id="invoice-kind" value={kind} onChange={(e) => setKind(e.target.value as InvoiceKind | '')}>
        <option value="">{t('invoice.allKinds')}</option>
        {invoiceKinds.map((k) => <option key={k} value={k}>{t(`invoice.kind.${k}`)}</option>)}
      </select>
      <label htmlFor="invoice-status">{t('invoice.status')}</label>
      <select id="invoice-status" value={status} onChange={(e) => setStatus(e.target.value as InvoiceStatus | '')}>
        <option value="">{t('invoice.allStatuses')}</option>
        {invoiceStatuses.map((k) => <option key={k} value={k}>{t(`invoice.status.${k}`)}</option>)}
      </select>
    </div>
  );
  return (
    <DataTable list={list} columns={columns} caption={t('nav.invoices')} rowKey={(i) => i.id} searchLabel={t('invoice.search')} toolbar={toolbar}
      empty={list.query || kind || status ? t('table.noMatch') : t('invoice.none')} />
  );
}

/** The last day of a period that ends (exclusively) on `end`. */
export function lastDay(end: string): string {
  const d = new Date(`${end}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
