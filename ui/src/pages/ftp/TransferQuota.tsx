// The quota SFTP and FTP users share (the offer's maxFtpUsers): "FTP/SFTP users: n of max", shown on
// both tabs, counted by the manager (the hosting's usage).
import type { Hosting } from '../../api/model.js';
import { QuotaBar } from '../../components/QuotaBar.js';
import { useI18n } from '../../i18n/i18n.js';

export function TransferQuota({ hosting }: { hosting: Hosting }) {
  const { t } = useI18n();
  const u = hosting.usage.transferUsers;
  return (
    <div className="quotas" data-testid="transfer-quota">
      <QuotaBar label={t('quota.transferUsers')} used={u.used} max={u.max} />
      <p className="hint">{t('quota.transferUsersHint')}</p>
    </div>
  );
}
