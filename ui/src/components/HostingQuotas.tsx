// A hosting's quota bars: what its usage reports (sites today; disk, mail, databases as agents
// measure them), against the maxima of its offer.
import type { Hosting, Offer } from '../api/model.js';
import { useI18n } from '../i18n/i18n.js';
import { QuotaBar } from './QuotaBar.js';

export function HostingQuotas({ hosting, offer }: { hosting: Hosting; offer: Offer | null }) {
  const { t, fmt } = useI18n();
  // quotas other than sites appear in `usage` once agents measure them
  const u = hosting.usage as Hosting['usage'] & Partial<Record<'diskMb' | 'mailboxes' | 'databases', { used: number; max: number }>>;
  return (
    <div className="quotas">
      <QuotaBar label={t('quota.sites')} used={u.sites?.used} max={u.sites?.max ?? offer?.maxSites ?? 0} />
      {offer && (
        <>
          <QuotaBar label={t('quota.disk')} used={u.diskMb?.used} max={u.diskMb?.max ?? offer.diskMb} format={fmt.sizeMb} />
          <QuotaBar label={t('quota.mailboxes')} used={u.mailboxes?.used} max={u.mailboxes?.max ?? offer.maxMailboxes} />
          <QuotaBar label={t('quota.databases')} used={u.databases?.used} max={u.databases?.max ?? offer.maxDatabases} />
        </>
      )}
    </div>
  );
}
