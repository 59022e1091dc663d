// Status words with a colour that is never the only signal (the word is always written).
import type { Provisioning } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { agentMessage } from '../i18n/agent-messages.js';
import { TableScroll } from './TableScroll.js';

export function StatusBadge({ status }: { status: string }) {
  const { tMaybe } = useI18n();
  return <span className={`badge badge-${status}`}>{tMaybe(`status.${status}`, status)}</span>;
}

/**
 * Where a site's configuration is on the servers: pending, rendered (render-only node), live or
 * error with the agent's message. An API without `provisioning` (no agents yet) shows
 * "not provisioned yet" rather than pretending the site is live.
 */
export function ProvisioningState({ provisioning, detailed }: { provisioning?: Provisioning | null; detailed?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (!provisioning) {
    return (
      <span className="provisioning" data-state="unknown">
        <span className="badge badge-render-only">{t('provisioning.unknown')}</span>
        {detailed && <span className="provisioning-message">{t('provisioning.unknownExplained')}</span>}
      </span>
    );
  }
  const { status, message } = provisioning;
  return (
    <span className="provisioning" data-state={status}>
      <span className={`badge badge-${status}`}>{t(`provisioning.${status}`)}</span>
      {detailed && <span className="provisioning-message">{t(`provisioning.${status}Explained`)}</span>}
      {message && (detailed || status === 'error') && <span className="provisioning-message" data-testid="provisioning-message">{agentMessage(message, i18n)}</span>}
    </span>
  );
}

/** Each server concerned by a site (its web server, every edge) and what its agent reported. */
export function ProvisioningServers({ provisioning }: { provisioning?: Provisioning | null }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  if (!provisioning?.servers?.length) return null;
  return (
    <TableScroll label={t('provisioning.servers')}>
      <table>
        <caption className="visually-hidden">{t('provisioning.servers')}</caption>
        <thead>
          <tr><th scope="col">{t('provisioning.server')}</th><th scope="col">{t('field.status')}</th><th scope="col">{t('provisioning.reported')}</th></tr>
        </thead>
        <tbody>
          {provisioning.servers.map((s) => (
            <tr key={s.serverId}>
              <th scope="row">{s.name}</th>
              <td><span className={`badge badge-${s.status}`}>{t(`provisioning.${s.status}`)}</span> {s.message && agentMessage(s.message, i18n)}</td>
              <td>{s.at ? fmt.dateTime(s.at) : t('server.never')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
