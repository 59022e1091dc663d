// Staff actions on a hosting, each confirmed in words that name what stops: suspend (with an optional
// reason, kept in the audit log), reactivate, terminate.
import { useId, useState } from 'react';
import type { Hosting } from '../api/model.js';
import { change } from '../api/query.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { useI18n } from '../i18n/i18n.js';

export function HostingActions({ hosting }: { hosting: Hosting }) {
  const { t } = useI18n();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  if (hosting.status === 'terminated') return null;
  const sites = hosting.usage.sites?.used ?? 0;
  const id = hosting.id;
  return (
    <>
      {hosting.status === 'active' ? (
        // keys: suspending flips the hosting to reactivate while its dialog is still open; without them the same
        // component (its open dialog, busy button) would turn into the other one for a moment
        <ConfirmButton key="suspend" label={t('hosting.suspend')} title={t('hosting.suspendTitle', { name: hosting.name })} confirmLabel={t('hosting.suspend')}
          onConfirm={async () => {
            await change('post', '/hostings/{id}/suspend', { path: { id }, body: reason.trim() ? { reason: reason.trim() } : {} });
            setReason('');
          }}>
          <p>{t('hosting.suspendLoses', { count: sites, name: hosting.name })}</p>
          <div className="field">
            <label htmlFor={reasonId}>{t('hosting.suspendReason')}</label>
            <input id={reasonId} type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} aria-describedby={`${reasonId}-hint`} autoComplete="off" />
            <div id={`${reasonId}-hint`} className="hint">{t('hosting.suspendReasonHint')}</div>
          </div>
        </ConfirmButton>
      ) : (
        <ConfirmButton key="reactivate" label={t('hosting.unsuspend')} title={t('hosting.unsuspendTitle', { name: hosting.name })} confirmLabel={t('hosting.unsuspend')}
          onConfirm={async () => { await change('post', '/hostings/{id}/reactivate', { path: { id } }); }} danger={false}>
          <p>{t('hosting.unsuspendExplained', { count: sites })}</p>
        </ConfirmButton>
      )}
      <ConfirmButton label={t('hosting.terminate')} title={t('hosting.terminateTitle', { name: hosting.name })} confirmLabel={t('hosting.terminateConfirm', { name: hosting.name })}
        onConfirm={async () => { await change('delete', '/hostings/{id}', { path: { id } }); }}>
        <p>{t('hosting.terminateLoses', { count: sites, name: hosting.name, customer: hosting.customerName })}</p>
        <p>{t('hosting.terminateKeeps', { home: hosting.home })}</p>
      </ConfirmButton>
    </>
  );
}
