// Messages shown in a page: errors from the API (translated by code), information, success.
import type { ReactNode } from 'react';
import { problemPhrase } from '../i18n/errors.js';
import { Say, useI18n } from '../i18n/i18n.js';

export function ErrorNotice({ error }: { error: unknown }) {
  const i18n = useI18n();
  return (
    <div className="notice notice-error" role="alert">
      <Say phrase={problemPhrase(error, i18n)} />
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
