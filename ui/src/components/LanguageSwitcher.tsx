// Français / English: takes effect at once and is saved on the account when logged in.
import type { Locale } from '../api/model.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';

const names: Record<Locale, string> = { fr: 'Français', en: 'English' };

export function LanguageSwitcher() {
  const { locale, t } = useI18n();
  const session = useSession();
  return (
    <div className="language" role="group" aria-label={t('nav.language')}>
      {(['fr', 'en'] as const).map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={l === locale} onClick={() => void session.chooseLocale(l)} data-testid={`lang-${l}`}>
          {names[l]}
        </button>
      ))}
    </div>
  );
}
