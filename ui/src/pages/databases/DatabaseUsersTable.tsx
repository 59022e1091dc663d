// The database users of a hosting: name, the databases it may use, when its password changed, state
// on the server; a new password (shown once), the choice of its databases, removal.
import { useState } from 'react';
import type { DatabaseUser } from '../../api/model.js';
import { change } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { ProvisioningState } from '../../components/Status.js';
import { pendingOnServer } from '../../api/pending.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Secret } from './DatabasesTab.js';
import { GrantsForm } from './GrantsForm.js';
import { OpenInAdminer } from './OpenInAdminer.js';

export function DatabaseUsersTable({ hostingId, writable, onSecret }: { hostingId: string; writable: boolean; onSecret(s: Secret): void }) {
  const { t, fmt } = useI18n();
  const list = useList('/hostings/{id}/database-users', { defaultSort: 'name', path: { id: hostingId }, pollWhile: pendingOnServer });
  const [editing, setEditing] = useState<DatabaseUser | null>(null);
  const columns: Column<DatabaseUser>[] = [
    { id: 'name', header: t('databaseUser.name'), sort: 'name', rowHeader: true, className: 'nowrap', cell: (u) => <code>{u.name}</code> },
    { id: 'databases', header: t('databaseUser.colDatabases'), className: 'wrap', cell: (u) => (u.databases.length ? u.databases.join(', ') : t('databaseUser.noDatabase')) },
    { id: 'password', header: t('databaseUser.colPassword'), sort: 'passwordChangedAt', cell: (u) => fmt.dateTime(u.passwordChangedAt) },
    { id: 'state', header: t('databaseUser.colState'), cell: (u) => <ProvisioningState provisioning={u.provisioning} /> },
  ];
  if (writable) {
    columns.push({
      id: 'actions', header: t('field.actions'),
      cell: (u) => (
        <div className="row-actions">
          <button type="button" onClick={() => setEditing(u)} aria-label={t('databaseUser.grantsFor', { name: u.name })} aria-expanded={editing?.id === u.id}>{t('databaseUser.grants')}</button>
          <ResetPassword user={u} onSecret={onSecret} />
          <RemoveUser user={u} onRemoved={() => editing?.id === u.id && setEditing(null)} />
          <OpenInAdminer user={u} />
        </div>
      ),
    });
  }
  return (
    <>
      <DataTable list={list} columns={columns} caption={t('databaseUser.title')} rowKey={(u) => u.id} searchLabel={t('databaseUser.search')}
        empty={list.query ? t('table.noMatch') : t('databaseUser.none')} />
      {writable && editing && <GrantsForm key={editing.id} hostingId={hostingId} user={editing} onDone={() => setEditing(null)} />}
    </>
  );
}

function ResetPassword({ user: u, onSecret }: { user: DatabaseUser; onSecret(s: Secret): void }) {
  const { t } = useI18n();
  const reset = async () => {
    const made = await change('post', '/database-users/{id}/password', { path: { id: u.id } });
    onSecret({ name: made.name, password: made.password, section: 'users' });
  };
  return (
    <ConfirmButton label={t('databaseUser.reset')} accessibleLabel={t('databaseUser.resetFor', { name: u.name })} title={t('databaseUser.resetTitle', { name: u.name })}
      confirmLabel={t('databaseUser.resetConfirm')} danger={false} onConfirm={reset}>
      <p>{t('databaseUser.resetLoses', { name: u.name })}</p>
    </ConfirmButton>
  );
}

function RemoveUser({ user: u, onRemoved }: { user: DatabaseUser; onRemoved(): void }) {
  const { t } = useI18n();
  const remove = async () => {
    await change('delete', '/database-users/{id}', { path: { id: u.id } });
    onRemoved();
  };
  return (
    <ConfirmButton label={t('databaseUser.remove')} accessibleLabel={t('databaseUser.removeFor', { name: u.name })} title={t('databaseUser.removeTitle', { name: u.name })}
      confirmLabel={t('databaseUser.removeConfirm')} onConfirm={remove}>
      <p>{t('databaseUser.removeLoses', { name: u.name })}</p>
    </ConfirmButton>
  );
}
