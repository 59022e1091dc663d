// Restores of a database or a mailbox of a hosting's backup, under its Backups tab: a button per part
// (a new database <name>_restored_<date> / mail folder Restored-<date>, or in place after a safety
// copy); the part's server does it within moments. The last restores from the backups (files, whole
// hosting, databases, mailboxes: GET …/backups/restores) are listed with their state (followed while
// one is under way), why one failed, and how to undo one done in place.
import type { Hosting } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Loaded, Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { Say, useI18n } from '../../i18n/i18n.js';
import { reportPhrase } from '../../i18n/errors.js';

type Restore = {
  id: string;
  snapshot: string;
  part: string;
  path: string | null;
  mode: 'new' | 'copy' | 'in-place';
  target: string;
  safetySnapshot: string | null;
  status: 'requested' | 'running' | 'done' | 'failed';
  error: { code: string; message: string | null } | null;
  requestedAt: string;
};

const pending = (items: Restore[] | undefined) => !!items?.some((r) => r.status === 'requested' || r.status === 'running');

/** The two restore buttons of a part of a backup (databases and mailboxes). */
export function PartRestoreButtons({ hosting, snapshot, part, onAsked }: { hosting: Hosting; snapshot: string; part: string; onAsked(): void }) {
  const { t } = useI18n();
  const kind = part.startsWith('db:') ? 'db' : 'mail';
  const name = part.slice(part.indexOf(':') + 1);
  const ask = (mode: 'new' | 'in-place') => async () => {
    await change('post', '/hostings/{id}/backups/{snapshot}/restore', { path: { id: hosting.id, snapshot }, body: { part, mode } });
    onAsked();
  };
  return (
    <div className="row-actions">
      <ConfirmButton label={t('backups.restore')} accessibleLabel={t('backups.restoreOf', { name })} title={t('backups.restoreOf', { name })} confirmLabel={t('backups.restore')} danger={false} onConfirm={ask('new')}>
        <p>{t(`backups.restoreNew.${kind}`, { name })}</p>
      </ConfirmButton>
      <ConfirmButton label={t('backups.restoreInPlace')} accessibleLabel={t('backups.restoreInPlaceOf', { name })} title={t('backups.restoreInPlaceOf', { name })} confirmLabel={t('backups.restoreInPlace')} onConfirm={ask('in-place')}>
        <p>{t(`backups.restoreInPlaceExplained.${kind}`, { name })}</p>
      </ConfirmButton>
    </div>
  );
}

export function PartRestoresSection({ hosting }: { hosting: Hosting }) {
  const { t } = useI18n();
  const restores = useGet('/hostings/{id}/backups/restores', { path: { id: hosting.id } }, {
    staleTime: 0,
    refetchInterval: (q) => (pending(q.state.data?.items as Restore[] | undefined) ? 2000 : false),
  });
  return (
    <Section title={t('backups.restores')}>
      <Loaded query={restores}>{(r) => <PartRestoreList items={r.items as Restore[]} />}</Loaded>
    </Section>
  );
}

function PartRestoreList({ items }: { items: Restore[] }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  if (items.length === 0) return <p className="hint" data-testid="backup-restores-none">{t('backups.restoresNone')}</p>;
  return (
    <TableScroll label={t('backups.restores')}>
      <table data-testid="backup-restores-table">
        <caption className="visually-hidden">{t('backups.restores')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('backups.part')}</th>
            <th scope="col">{t('backups.id')}</th>
            <th scope="col">{t('backups.restoreTarget')}</th>
            <th scope="col">{t('backups.requestedAt')}</th>
            <th scope="col">{t('backups.restoreStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const why = r.error ? reportPhrase({ code: r.error.code, message: r.error.message }, i18n) : null;
            return (
              <tr key={r.id}>
                <th scope="row"><code>{r.path ?? r.part}</code></th>
                <td><code>{r.snapshot}</code></td>
                <td><code>{r.target}</code>{r.mode === 'in-place' && <> · {t('backups.restoreInPlace')}</>}</td>
                <td>{fmt.dateTime(r.requestedAt)}</td>
                <td data-testid="backup-restore-status">
                  <span className={r.status === 'failed' ? 'badge badge-suspended' : 'badge'}>{t(`restores.status.${r.status}`)}</span>
                  {why && <p className="field-error"><Say phrase={why} /></p>}
                  {r.status === 'done' && r.safetySnapshot && <p className="hint">{r.path === null ? t('backups.undo', { snapshot: r.safetySnapshot, part: r.part }) : t('restores.undo', { snapshot: r.safetySnapshot, path: r.path })}</p>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
