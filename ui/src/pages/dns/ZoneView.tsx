// One zone as its owner needs it. Published by the platform (managed): its state on the name
// servers, the name servers to set at the registrar, a live check of what they answer, and the
// records. Published elsewhere (external): the exact records to set at the DNS host, whether the
// DNS answers them now, and the switch that lets the platform publish the zone.
import type { Zone } from '../../api/model.js';
import { usePlatform } from '../../api/platform.js';
import { change } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Section } from '../../components/Page.js';
import { ProvisioningServers, ProvisioningState } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { NameserverCheck, RequiredRecords } from './ZoneChecks.js';
import { RecordsEditor } from './RecordsEditor.js';

/** The name servers the platform publishes its zones on (to give a registrar). */
const useNameservers = () => usePlatform()?.nameservers ?? [];

export function ZoneView({ zone, writable }: { zone: Zone; writable: boolean }) {
  return zone.dns === 'managed' ? <ManagedZone zone={zone} writable={writable} /> : <ExternalZone zone={zone} writable={writable} />;
}

function ManagedZone({ zone, writable }: { zone: Zone; writable: boolean }) {
  const { t } = useI18n();
  const nameservers = useNameservers();
  const setExternal = async () => {
    await change('patch', '/zones/{id}', { path: { id: zone.id }, body: { dns: 'external' } });
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
        <RecordsEditor zone={zone} writable={writable} />
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

function ExternalZone({ zone, writable }: { zone: Zone; writable: boolean }) {
  const { t } = useI18n();
  const nameservers = useNameservers();
  const setManaged = async () => {
    await change('patch', '/zones/{id}', { path: { id: zone.id }, body: { dns: 'managed' } });
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
