// Status words with a colour that is never the only signal (the word is always written).
import type { Provisioning } from '../api/model.js';
import { reportPhrase } from '../i18n/errors.js';
import { Say, useI18n } from '../i18n/i18n.js';
import { TableScroll } from './TableScroll.js';

export function StatusBadge({ status }: { status: string }) {
  const { tMaybe } = useI18n();
  return <span className={`badge badge-${status}`}>{tMaybe(`status.${status}`, status)}</span>;
}

/** What a server said about an object, by its code when it gave one; "rendered" needs no words (its badge says it). */
function Report({ report }: { report: { status: string; message: string | null; code?: unknown; params?: unknown } }) {
  const i18n = useI18n();
  if (report.status === 'rendered' || report.status === 'live') return null;
  const phrase = reportPhrase(report, i18n);
  return phrase ? <span className="provisioning-message" data-testid="provisioning-message"><Say phrase={phrase} /></span> : null;
}

/**
 * Where a site's configuration is on the servers: pending, rendered (render-only node), live or
 * error with the server's reason. An API without `provisioning` (no agents yet) shows
 * "not provisioned yet" rather than pretending the site is live.
 */
export function ProvisioningState({ provisioning, detailed }: { provisioning?: Provisioning | null; detailed?: boolean }) {
  const { t } = useI18n();
  if (!provisioning) {
    return (
      <span className="provisioning" data-state="unknown">
        <span className="badge badge-render-only">{t('provisioning.unknown')}</span>
        {detailed && <span className="provisioning-message">{t('provisioning.unknownExplained')}</span>}
      </span>
    );
  }
  const { status } = provisioning;
  return (
    <span className="provisioning" data-state={status}>
      <span className={`badge badge-${status}`}>{t(`provisioning.${status}`)}</span>
      {detailed && <span className="provisioning-message">{t(`provisioning.${status}Explained`)}</span>}
      {(detailed || status === 'error') && <Report report={provisioning} />}
    </span>
  );
}

/** Each server concerned by a site (its web server, every edge) and what its agent reported. */
export function ProvisioningServers({ provisioning }: { provisioning?: Provisioning | null }) {
  const { t, fmt } = useI18n();
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
              <td><span className={`badge badge-${s.status}`}>{t(`provisioning.${s.status}`)}</span> <Report report={s} /></td>
              <td>{s.at ? fmt.dateTime(s.at) : t('server.never')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
