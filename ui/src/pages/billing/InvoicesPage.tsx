// The invoices page (/invoices): a customer's users see and download theirs; staff see every
// customer's and reach the billing settings from here.
import { Link } from '@tanstack/react-router';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { InvoicesTable } from './InvoicesTable.js';
import { ExportsPanel } from './ExportsPanel.js';

export function InvoicesPage() {
  const { t } = useI18n();
  const { isStaff } = useSession();
  return (
    <Page title={t('nav.invoices')} actions={isStaff ? <Link to="/staff/billing" className="button">{t('nav.billing')}</Link> : undefined}>
      <p className="hint">{t(isStaff ? 'invoice.explainedStaff' : 'invoice.explained')}</p>
      <InvoicesTable />
      {isStaff && <ExportsPanel />}
    </Page>
  );
}
