// Restores of a database or a mailbox of a hosting's backup, under its Backups tab: a button per part
// (a new database <name>_restored_<date> / mail folder Restored-<date>, or in place after a safety
// copy); the part's server does it within moments. The last restores from the backups (files, whole
// hosting, databases, mailboxes: GET …/backups/restores) are listed with their state (followed while
// one is under way), why one failed, and how to undo one done in place.
import type { Hosting } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Loaded, Section } from '../../components/Page.js';
import { pending, RestoreTable, type RestoreRow } from '../../components/RestoreTable.js';
import { useI18n } from '../../i18n/i18n.js';

type Restore = RestoreRow & { part: string; path: string | null; mode: 'new' | 'copy' | 'in-place' };

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
  const { t } = useI18n();
  return (
    <RestoreTable items={items} testId="backup-restores" what={(r) => r.path ?? r.part}
      text={{ list: t('backups.restores'), none: t('backups.restoresNone'), inPlace: t('backups.restoreInPlace'), columns: [t('backups.part'), t('backups.id'), t('backups.restoreTarget'), t('backups.requestedAt'), t('backups.restoreStatus')] }}
      undo={(r, snapshot) => (r.path === null ? t('backups.undo', { snapshot, part: r.part }) : t('restores.undo', { snapshot, path: r.path }))} />
  );
}
