// A hosting's quota bars: what its usage reports (sites and databases counted by the manager; disk
// as its web server measures it; mail as agents measure it), against the maxima of its offer. The disk
// limit is enforced only where the server's filesystem can (btrfs quotas): elsewhere the bar says so.
import type { Hosting, Offer } from '../api/model.js';
import { useI18n } from '../i18n/i18n.js';
import { QuotaBar } from './QuotaBar.js';

export function HostingQuotas({ hosting, offer }: { hosting: Hosting; offer: Offer | null }) {
  const { t, fmt } = useI18n();
  // mailboxes appear in `usage` once agents measure them
  const u = hosting.usage as Hosting['usage'] & Partial<Record<'mailboxes', { used: number; max: number }>>;
  const disk = u.diskMb;
  return (
    <div className="quotas">
      <QuotaBar label={t('quota.sites')} used={u.sites?.used} max={u.sites?.max ?? offer?.maxSites ?? 0} />
      <div data-testid="quota-disk">
        <QuotaBar label={t('quota.disk')} used={disk?.used ?? undefined} max={disk?.max ?? offer?.diskMb ?? 0} format={fmt.sizeMb} />
        {disk?.enforced === false && <p className="hint">{t('quota.diskNotEnforced')}</p>}
      </div>
      {offer && (
        <>
          <QuotaBar label={t('quota.mailboxes')} used={u.mailboxes?.used} max={u.mailboxes?.max ?? offer.maxMailboxes} />
          <QuotaBar label={t('quota.databases')} used={u.databases?.used} max={u.databases?.max ?? offer.maxDatabases} />
        </>
      )}
    </div>
  );
}
