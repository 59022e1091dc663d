// Messages shown in a page: errors from the API (translated by code), information, success.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { useI18n, type I18n } from '../i18n/i18n.js';

/** The reader's-language sentence for an API error: by its code when the catalog knows it. */
export function describeError(e: unknown, i18n: Pick<I18n, 't' | 'tMaybe'>): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return i18n.t('error.network');
    return i18n.tMaybe(`error.${e.code}`, e.detail || i18n.t('error.unknown'));
  }
  return i18n.t('error.unknown');
}

export function ErrorNotice({ error }: { error: unknown }) {
  const i18n = useI18n();
  return (
    <div className="notice notice-error" role="alert">
      {describeError(error, i18n)}
    </div>
  );
}

export function Notice({ kind = 'info', children, title }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode; title?: string }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {title && <p className="notice-title">{title}</p>}
      {children}
    </div>
  );
}
