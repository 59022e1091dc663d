// A hosting's Backups tab (/hostings/<name>/backups): its off-server backups (restic snapshots on a
// backup server, made daily by its web server and kept per its offer), read on the web server when
// the tab opens (never polled), per day the parts it holds (files, each database, each mailbox) with
// their size; the health of the last backup (its reason for staff only). Who may change the hosting
// can ask for a backup now, and restore a database or a mailbox (PartRestores.tsx).
import { useState } from 'react';
import type { Hosting } from '../../api/model.js';
import { change, LIVE, useGet, type Answer } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Loaded, Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';
import { BackupHealthBadge } from './BackupHealthBadge.js';
import { PartRestoreButtons, PartRestoresSection } from './PartRestores.js';
import { BackupRestore } from './BackupRestore.js';

type Backups = Answer<'/hostings/{id}/backups'>;

export function BackupsTab({ hosting, writable }: { hosting: Hosting; writable: boolean }) {
  const { t } = useI18n();
  const [asked, setAsked] = useState(false);
  const [restoreAsked, setRestoreAsked] = useState(false);
  const answer = useGet('/hostings/{id}/backups', { path: { id: hosting.id } }, { meta: LIVE, staleTime: 0, refetchOnWindowFocus: false });
  const take = async () => {
    await change('post', '/hostings/{id}/backups', { path: { id: hosting.id } });
    setAsked(true);
  };
  return (
    <>
    <Section title={t('backups.title')}
      actions={
        <div className="row-actions">
          {writable && hosting.serverId && answer.data?.repository && (
            <ConfirmButton label={t('backups.take')} title={t('backups.takeTitle', { name: hosting.name })} confirmLabel={t('backups.take')} danger={false} onConfirm={take}>
              <p>{t('backups.takeExplained')}</p>
            </ConfirmButton>
          )}
          <button type="button" className="button" onClick={() => void answer.refetch()} disabled={answer.isFetching} data-testid="backups-refresh">{t('backups.refresh')}</button>
        </div>
      }>
      {asked && <p role="status" data-testid="backups-asked">{t('backups.asked')}</p>}
      {restoreAsked && <p role="status" data-testid="backup-restore-asked">{t('backups.restoreAsked')}</p>}
      <Loaded query={answer}>{(r) => <BackupList answer={r} hosting={hosting} writable={writable} onRestore={() => setRestoreAsked(true)} />}</Loaded>
      {answer.data?.repository && <PartRestoresSection hosting={hosting} />}
    </Section>
    {answer.data?.repository && answer.data.readable && hosting.serverId && (
      <BackupRestore hosting={hosting} backups={answer.data.snapshots} writable={writable} staff={answer.data.repository.server !== null} />
    )}
    </>
  );
}

function BackupList({ answer: r, hosting, writable, onRestore }: { answer: Backups; hosting: Hosting; writable: boolean; onRestore(): void }) {
  const { t, fmt } = useI18n();
  const repo = r.repository;
  return (
    <>
      <p className="hint">{t('backups.explained')}</p>
      <p data-testid="backups-retention">{t('backups.retention', { daily: r.retention.keepDaily, weekly: r.retention.keepWeekly })}</p>
      {!repo ? (
        <p data-testid="backups-no-repository">{t('backups.noRepository')}</p>
      ) : (
        <dl className="facts" data-testid="backups-health">
          <dt>{t('backups.health')}</dt><dd><BackupHealthBadge health={repo.health} /></dd>
          <dt>{t('backups.lastSuccess')}</dt><dd>{repo.lastSuccessAt ? fmt.dateTime(repo.lastSuccessAt) : t('backups.never')}</dd>
          {repo.lastErrorAt && <><dt>{t('backups.lastFailure')}</dt><dd>{fmt.dateTime(repo.lastErrorAt)}{repo.lastError && <> — <span className="error-text" lang="en">{repo.lastError}</span></>}</dd></>}
          <dt>{t('backups.check')}</dt>
          <dd data-testid="backups-check">
            <BackupHealthBadge health={repo.checkHealth} check />{repo.lastCheckAt && <> · {fmt.dateTime(repo.lastCheckAt)}</>}
            {repo.checkError && <> — <span className="error-text" lang="en">{repo.checkError}</span></>}
          </dd>
          {repo.server && <><dt>{t('backups.server')}</dt><dd><code>{repo.server}</code> ({repo.account})</dd></>}
        </dl>
      )}
      {repo && !r.readable && <p data-testid="backups-unreadable">{t('backups.unreadableNow')}</p>}
      {repo && r.readable && (r.days.length === 0 ? (
        <p data-testid="backups-none">{t('backups.none')}</p>
      ) : (
        <TableScroll label={t('backups.title')}>
          <table data-testid="backups-table">
            <caption className="visually-hidden">{t('backups.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('backups.day')}</th>
                <th scope="col">{t('backups.part')}</th>
                <th scope="col">{t('backups.time')}</th>
                <th scope="col">{t('backups.id')}</th>
                <th scope="col" className="num">{t('backups.size')}</th>
                {writable && <th scope="col">{t('backups.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {r.days.flatMap((d) => d.parts.map((s) => (
                <tr key={s.id} data-testid="backup-part">
                  <th scope="row">{fmt.date(`${d.day}T12:00:00Z`)}</th>
                  <td>{s.part === 'files' ? t('backups.files') : <code>{s.part}</code>}{s.safety && <> · {t('backups.safety')}</>}</td>
                  <td>{fmt.dateTime(s.time)}</td>
                  <td><code>{s.shortId}</code></td>
                  <td className="num">{s.sizeBytes === null ? '—' : fmt.bytes(s.sizeBytes)}</td>
                  {writable && <td>{s.part !== 'files' && <PartRestoreButtons hosting={hosting} snapshot={s.shortId} part={s.part} onAsked={onRestore} />}</td>}
                </tr>
              )))}
            </tbody>
          </table>
        </TableScroll>
      ))}
    </>
  );
}
