// A secret the API shows once (API token, invitation link, agent token): copy it now.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

export function SecretOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="notice notice-success secret" role="status">
      <p className="notice-title">{label}</p>
      <p>{note}</p>
      <code className="secret-value" data-testid="secret-value">{value}</code>
      <button type="button" onClick={copy}>{copied ? t('action.copied') : t('action.copy')}</button>
    </div>
  );
}
