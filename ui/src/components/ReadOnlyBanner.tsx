// The banner every page shows while the platform is read-only (or when it will be): the message the
// staff wrote, in the reader's language, and what it means for them.
import { useReadOnly } from '../api/read-only.js';
import { useI18n } from '../i18n/i18n.js';

export function ReadOnlyBanner({ staff = false }: { staff?: boolean }) {
  const { t, locale, fmt } = useI18n();
  const mode = useReadOnly();
  if (!mode?.enabled) return null;
  const message = locale === 'fr' ? mode.message.fr : mode.message.en;
  return (
    <div className={`read-only-banner${mode.active ? ' read-only-active' : ''}`} role="status" data-testid="read-only-banner">
      <p>
        <strong>{mode.active ? t('readOnly.banner.active') : t('readOnly.banner.scheduled', { at: fmt.dateTime(mode.startsAt) })}</strong>{' '}
        {message}
      </p>
      {mode.active && <p className="hint">{staff ? t('readOnly.banner.staff') : t('readOnly.banner.customer')}</p>}
    </div>
  );
}
