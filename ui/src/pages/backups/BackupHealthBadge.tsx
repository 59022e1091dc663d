// The health of a hosting's backups as a badge: ok (the last one succeeded), failed, never (none yet).
import { useI18n } from '../../i18n/i18n.js';

export function BackupHealthBadge({ health, check }: { health: 'ok' | 'failed' | 'never'; check?: boolean }) {
  const { t } = useI18n();
  const kind = health === 'ok' ? 'live' : health === 'failed' ? 'error' : 'pending';
  return <span className={`badge badge-${kind}`} data-testid={check ? 'backup-check-health' : 'backup-health'}>{t(`${check ? 'backups.checkState' : 'backups.healthState'}.${health}`)}</span>;
}
