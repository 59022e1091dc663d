// One invoice, proforma or credit note (/invoices/<number>): what it says, as issued (its buyer and
// seller frozen), its PDF, its credit notes and how much they credit; staff credit an invoice here,
// in full or in part (CreditForm: the only correction of an issued invoice).
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Invoice } from '../../api/model.js';
import { useGet } from '../../api/query.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { lastDay, pdfHref } from './InvoicesTable.js';
import { CardPayment, CardRefund } from './CardPayment.js';
import { InvoiceDunning } from './DunningPanel.js';
import { CreditForm } from './CreditForm.js';
import { InvoicePayments } from './InvoicePayments.js';

const route = getRouteApi('/invoices/$invoice');

export function InvoicePage() {
  const { invoice } = route.useParams();
  const answer = useGet('/invoices/{id}', { path: { id: invoice } });
  return <Loaded query={answer}>{(i) => <InvoiceView invoice={i} />}</Loaded>;
}

const lines = (s: string) => s.split('\n').map((l, n) => <span key={n}>{l}<br /></span>);

function InvoiceView({ invoice: i }: { invoice: Invoice }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  const money = (c: number) => fmt.money(c, i.currency);
  return (
    <Page title={`${t(`invoice.kind.${i.kind}`)} ${i.number}`} crumbs={[<Link to="/invoices" activeOptions={{ exact: true }}>{t('nav.invoices')}</Link>]}
      actions={<a className="button primary" href={pdfHref(i.id)} download={`${i.number}.pdf`}>{t('invoice.download')}</a>}>
      <dl className="facts">
        <dt>{t('invoice.issueDate')}</dt><dd>{fmt.date(i.issueDate)}</dd>
        {i.kind === 'invoice' && <><dt>{t('invoice.paymentDue')}</dt><dd>{fmt.date(i.paymentDue)}</dd></>}
        {i.periodStart && i.periodEnd && <><dt>{t('invoice.period')}</dt><dd>{t('invoice.periodRange', { from: fmt.date(i.periodStart), to: fmt.date(lastDay(i.periodEnd)) })}</dd></>}
        {i.credits && <><dt>{t('invoice.credits')}</dt><dd><Link to="/invoices/$invoice" params={{ invoice: i.credits.number }}>{i.credits.number}</Link></dd></>}
        {i.creditedBy && <><dt>{t('invoice.creditedByLabel')}</dt><dd><Link to="/invoices/$invoice" params={{ invoice: i.creditedBy.number }}>{i.creditedBy.number}</Link></dd></>}
        {i.creditNotes.length > 0 && (
          <>
            <dt>{t('lifecycle.creditNotes')}</dt>
            <dd>{i.creditNotes.map((n, k) => <span key={n.id}>{k > 0 && ', '}<Link to="/invoices/$invoice" params={{ invoice: n.number }}>{n.number}</Link> ({money(n.totalCents)})</span>)}</dd>
            <dt>{t('lifecycle.credited')}</dt><dd data-testid="invoice-credited">{money(i.creditedCents)} / {money(i.totalCents)}</dd>
          </>
        )}
        {i.reason && <><dt>{t('invoice.reason')}</dt><dd>{i.reason}</dd></>}
      </dl>
      <div className="field-row">
        <Section title={t('invoice.seller')}><p>{i.seller.name}<br />{lines(i.seller.address)}{i.seller.registration}</p></Section>
        <Section title={t('invoice.buyer')}><p>{i.buyer.name}<br />{lines(i.buyer.address)}{t('invoice.customerNumber', { number: i.buyer.number })}</p></Section>
      </div>
      <table className="table">
        <caption>{t('invoice.lines')}</caption>
        <thead><tr><th scope="col">{t('invoice.description')}</th><th scope="col" className="num">{t('invoice.quantity')}</th><th scope="col" className="num">{t('invoice.unitPrice')}</th><th scope="col" className="num">{t('invoice.vatRate')}</th><th scope="col" className="num">{t('invoice.totalEx')}</th></tr></thead>
        <tbody>
          {i.lines.map((l, n) => (
            <tr key={n}><td>{l.description}</td><td className="num">{fmt.number(l.quantity)}</td><td className="num">{money(l.unitExCents)}</td><td className="num">{fmt.number(l.vatRateBp / 100)} %</td><td className="num">{money(l.exCents)}</td></tr>
          ))}
        </tbody>
      </table>
      <dl className="facts" data-testid="invoice-totals">
        <dt>{t('invoice.totalEx')}</dt><dd>{money(i.totalExCents)}</dd>
        <dt>{t('invoice.vat')}</dt><dd>{money(i.vatCents)}</dd>
        <dt>{t('invoice.total')}</dt><dd><strong>{money(i.totalCents)}</strong></dd>
      </dl>
      <InvoiceDunning invoice={i} />
      <InvoicePayments invoice={i} />
      {i.mentions.length > 0 && <Section title={t('invoice.mentions')}>{i.mentions.map((m, n) => <p key={n} className="hint">{m}</p>)}</Section>}
      <CardPayment invoice={i} />
      <CardRefund invoice={i} />
      {isStaff && i.kind === 'invoice' && !i.creditedBy && <CreditForm invoice={i} />}
    </Page>
  );
}
