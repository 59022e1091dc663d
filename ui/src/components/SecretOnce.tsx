// A secret the API shows once (API token, invitation link, agent token): copy it now.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

export function SecretOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'no' | 'yes' | 'refused'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch (e) {
      // the browser may refuse the clipboard (permissions, insecure context): say so, the text stays selectable
      console.warn('clipboard refused', e);
      setCopied('refused');
    }
  };
  return (
    <div className="notice notice-success secret" role="status">
      <p className="notice-title">{label}</p>
      <p>{note}</p>
      <code className="secret-value" data-testid="secret-value">{value}</code>
      <button type="button" onClick={copy}>{copied === 'yes' ? t('action.copied') : t('action.copy')}</button>
      {copied === 'refused' && <p className="field-error">{t('action.copy_failed')}</p>}
    </div>
  );
}
