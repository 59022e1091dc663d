// Staff actions on a hosting, each confirmed in words that name what stops: suspend, reactivate, terminate.
import { api } from '../api/client.js';
import type { Hosting } from '../api/types.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { useI18n } from '../i18n/i18n.js';

export function HostingActions({ hosting, changed }: { hosting: Hosting; changed(h: Hosting): void }) {
  const { t, fmt } = useI18n();
  if (hosting.status === 'terminated') return null;
  const sites = hosting.usage.sites?.used ?? 0;
  const setStatus = async (status: 'active' | 'suspended') =>
    changed(await api<Hosting>('POST', `/api/v1/hostings/${hosting.id}/${status === 'suspended' ? 'suspend' : 'reactivate'}`, {}));
  return (
    <>
      {hosting.status === 'active' ? (
        <ConfirmButton label={t('hosting.suspend')} title={t('hosting.suspendTitle', { name: hosting.name })} confirmLabel={t('hosting.suspend')}
          onConfirm={() => setStatus('suspended')}>
          <p>{t('hosting.suspendLoses', { count: fmt.number(sites), name: hosting.name })}</p>
        </ConfirmButton>
      ) : (
        <ConfirmButton label={t('hosting.unsuspend')} title={t('hosting.unsuspendTitle', { name: hosting.name })} confirmLabel={t('hosting.unsuspend')}
          onConfirm={() => setStatus('active')} danger={false}>
          <p>{t('hosting.unsuspendExplained', { count: fmt.number(sites) })}</p>
        </ConfirmButton>
      )}
      <ConfirmButton label={t('hosting.terminate')} title={t('hosting.terminateTitle', { name: hosting.name })} confirmLabel={t('hosting.terminateConfirm', { name: hosting.name })}
        onConfirm={async () => changed(await api<Hosting>('DELETE', `/api/v1/hostings/${hosting.id}`))}>
        <p>{t('hosting.terminateLoses', { count: fmt.number(sites), name: hosting.name, customer: hosting.customerName })}</p>
        <p>{t('hosting.terminateKeeps', { home: hosting.home })}</p>
      </ConfirmButton>
    </>
  );
}
