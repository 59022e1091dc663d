// The webmail in a hosting's Mail tab: where its mailboxes read their mail in a browser (Roundcube at
// the platform's webmail name), when the platform has one.
import { usePlatform } from '../../api/platform.js';
import { useI18n } from '../../i18n/i18n.js';

export function WebmailLink() {
  const { t } = useI18n();
  const url = usePlatform()?.webmailUrl;
  if (!url) return null;
  return (
    <>
      <dt>{t('mailTab.webmail')}</dt>
      <dd>
        <a href={url} target="_blank" rel="noopener noreferrer" data-testid="webmail-link">{new URL(url).host}</a> · {t('mailTab.webmailHint')}
      </dd>
    </>
  );
}
