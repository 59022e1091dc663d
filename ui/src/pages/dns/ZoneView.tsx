// One zone as its owner needs it. Published by the platform (managed): its state on the name
// servers, the name servers to set at the registrar, a live check of what they answer, and the
// records. Published elsewhere (external): the exact records to set at the DNS host, whether the
// DNS answers them now, and the switch that lets the platform publish the zone.
import { api, withQuery } from '../../api/client.js';
import type { DnsRecord, Page as ApiPage, Zone } from '../../api/types.js';
import { useResource } from '../../api/use-resource.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Section } from '../../components/Page.js';
import { ProvisioningServers, ProvisioningState } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { NameserverCheck, RequiredRecords } from './ZoneChecks.js';
import { RecordsEditor } from './RecordsEditor.js';

/** The name servers the platform puts in the zone (its NS records at the apex). */
function useNameservers(zone: Zone): string[] {
  const r = useResource<ApiPage<DnsRecord>>(withQuery(`/api/v1/zones/${zone.id}/records`, { q: 'NS', limit: 100 }));
  return (r.data?.items ?? []).filter((x) => x.purpose === 'ns' && x.relativeName === '@').map((x) => x.content.replace(/\.$/, ''));
}

export function ZoneView({ zone, writable, onChanged }: { zone: Zone; writable: boolean; onChanged(): void }) {
  return zone.dns === 'managed'
    ? <ManagedZone zone={zone} writable={writable} onChanged={onChanged} />
    : <ExternalZone zone={zone} writable={writable} onChanged={onChanged} />;
}

function ManagedZone({ zone, writable, onChanged }: { zone: Zone; writable: boolean; onChanged(): void }) {
  const { t } = useI18n();
  const nameservers = useNameservers(zone);
  const setExternal = async () => {
    await api<Zone>('PATCH', `/api/v1/zones/${zone.id}`, { dns: 'external' });
    onChanged();
  };
  return (
    <>
      <Section title={t('zone.publication')}>
        <p>{zone.platform ? t('zone.platformExplained', { zone: zone.nameUnicode }) : t('zone.managedExplained', { zone: zone.nameUnicode })}</p>
        <ProvisioningState provisioning={zone.provisioning} detailed />
        <ProvisioningServers provisioning={zone.provisioning} />
        {nameservers.length > 0 && !zone.platform && (
          <>
            <p>{t('zone.delegate', { zone: zone.nameUnicode })}</p>
            <ul className="plain-list" data-testid="nameservers">{nameservers.map((n) => <li key={n}><code>{n}</code></li>)}</ul>
          </>
        )}
        <NameserverCheck zone={zone} />
      </Section>
      <Section title={t('zone.records')}>
        <p className="hint">{t('zone.recordsExplained')}</p>
        <RecordsEditor zone={zone} writable={writable} onChanged={onChanged} />
      </Section>
      {writable && !zone.platform && (
        <details className="more">
          <summary>{t('zone.toExternal')}</summary>
          <p>{t('zone.toExternalExplained', { zone: zone.nameUnicode })}</p>
          <ConfirmButton label={t('zone.toExternal')} title={t('zone.toExternalTitle', { zone: zone.nameUnicode })} confirmLabel={t('zone.toExternalConfirm')}
            onConfirm={setExternal}>
            <p>{t('zone.toExternalLoses', { zone: zone.nameUnicode })}</p>
          </ConfirmButton>
        </details>
      )}
    </>
  );
}

function ExternalZone({ zone, writable, onChanged }: { zone: Zone; writable: boolean; onChanged(): void }) {
  const { t } = useI18n();
  const nameservers = useNameservers(zone);
  const setManaged = async () => {
    await api<Zone>('PATCH', `/api/v1/zones/${zone.id}`, { dns: 'managed' });
    onChanged();
  };
  return (
    <>
      <Section title={t('zone.atYourHost')}>
        <p>{t('zone.externalExplained', { zone: zone.nameUnicode })}</p>
        <RequiredRecords zone={zone} />
      </Section>
      {writable && (
        <Section title={t('zone.toManaged')}>
          <p>{t('zone.toManagedExplained', { zone: zone.nameUnicode })}</p>
          {nameservers.length > 0 && (
            <>
              <p>{t('zone.toManagedNameservers')}</p>
              <ul className="plain-list">{nameservers.map((n) => <li key={n}><code>{n}</code></li>)}</ul>
            </>
          )}
          <ConfirmButton label={t('zone.toManaged')} title={t('zone.toManagedTitle', { zone: zone.nameUnicode })} confirmLabel={t('zone.toManagedConfirm')}
            onConfirm={setManaged} danger={false}>
            <p>{t('zone.toManagedSteps', { zone: zone.nameUnicode })}</p>
          </ConfirmButton>
        </Section>
      )}
    </>
  );
}
