// A hosting's Snapshots tab (/hostings/<name>/snapshots): the read-only copies of its home its web
// server takes on the offer's schedule, read there when the tab opens (never polled): where they are
// (backups/ over SFTP, FTP or SSH), how many of each kind are kept, each snapshot with when it was
// taken; staff also see the space they take. A home that is not on btrfs has none, and it says so.
// Who may change the hosting can ask for one now ("manual"; the web server takes it within moments).
import { useState } from 'react';
import type { Hosting } from '../../api/model.js';
import { change, LIVE, useGet } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Loaded, Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { RestoreSection } from './RestoreSection.js';

const KINDS = ['hourly', 'daily', 'weekly', 'monthly'] as const;

export function SnapshotsTab({ hosting, writable }: { hosting: Hosting; writable: boolean }) {
  const { t } = useI18n();
  const [asked, setAsked] = useState(false);
  const answer = useGet('/hostings/{id}/snapshots', { path: { id: hosting.id } }, { meta: LIVE, staleTime: 0, refetchOnWindowFocus: false });
  const take = async () => {
    await change('post', '/hostings/{id}/snapshots', { path: { id: hosting.id } });
    setAsked(true);
  };
  return (
    <>
    <Section title={t('snapshots.title')}
      actions={
        <div className="row-actions">
          {writable && hosting.serverId && (
            <ConfirmButton label={t('snapshots.take')} title={t('snapshots.takeTitle', { name: hosting.name })} confirmLabel={t('snapshots.take')} danger={false} onConfirm={take}>
              <p>{t('snapshots.takeExplained')}</p>
            </ConfirmButton>
          )}
          <button type="button" className="button" onClick={() => void answer.refetch()} disabled={answer.isFetching} data-testid="snapshots-refresh">{t('snapshots.refresh')}</button>
        </div>
      }>
      {asked && <p role="status" data-testid="snapshots-asked">{t('snapshots.asked')}</p>}
      <Loaded query={answer}>{(r) => <SnapshotList answer={r} />}</Loaded>
    </Section>
    {answer.data?.available && <RestoreSection hosting={hosting} writable={writable} snapshots={answer.data.snapshots} />}
    </>
  );
}

type Answer = {
  available: boolean;
  schedule: Record<(typeof KINDS)[number], number>;
  snapshots: Array<{ kind: (typeof KINDS)[number] | 'manual' | 'safety'; name: string; takenAt: string; path: string; exclusiveBytes: number | null }>;
  totalExclusiveBytes: number | null;
};

function SnapshotList({ answer: r }: { answer: Answer }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  if (!r.available) return <p data-testid="snapshots-unavailable">{t('snapshots.unavailable')}</p>;
  return (
    <>
      <p className="hint">{t('snapshots.explained')}</p>
      <ul data-testid="snapshots-schedule">
        {KINDS.map((k) => <li key={k}>{t(`snapshots.kept.${k}`, { count: r.schedule[k] })}</li>)}
      </ul>
      {isStaff && r.totalExclusiveBytes !== null && <p data-testid="snapshots-space">{t('snapshots.space', { size: fmt.bytes(r.totalExclusiveBytes) })}</p>}
      {r.snapshots.length === 0 ? (
        <p data-testid="snapshots-none">{t('snapshots.none')}</p>
      ) : (
        <TableScroll label={t('snapshots.title')}>
          <table data-testid="snapshots-table">
            <caption className="visually-hidden">{t('snapshots.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('snapshots.folder')}</th>
                <th scope="col">{t('snapshots.kind')}</th>
                <th scope="col">{t('snapshots.takenAt')}</th>
                {isStaff && <th scope="col">{t('snapshots.exclusive')}</th>}
              </tr>
            </thead>
            <tbody>
              {r.snapshots.map((s) => (
                <tr key={s.name}>
                  <th scope="row"><code>{s.path}</code></th>
                  <td>{t(`snapshots.kind.${s.kind}`)}</td>
                  <td>{fmt.dateTime(s.takenAt)}</td>
                  {isStaff && <td>{s.exclusiveBytes === null ? '—' : fmt.bytes(s.exclusiveBytes)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
