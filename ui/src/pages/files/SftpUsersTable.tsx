// The SFTP users of a hosting: login, where to connect (host and port), folder, how it signs in,
// state on the web server; changing one (folder, enabled, keys, password), a new password (shown
// once) and removal. The list is asked again while a change is being applied on the web server.
import { useState } from 'react';
import { pendingOnServer } from '../../api/pending.js';
import { change } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { ProvisioningState } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { sftpCommand, sshCommand, type SftpUser } from './sftp-model.js';
import { SftpUserEdit } from './SftpUserEdit.js';
import type { SftpSecret } from './SftpTab.js';

export function SftpUsersTable({ hostingId, sshAllowed, writable, onSecret }: { hostingId: string; sshAllowed: boolean; writable: boolean; onSecret(s: SftpSecret): void }) {
  const { t } = useI18n();
  const list = useList('/hostings/{id}/sftp-users', { defaultSort: 'name', path: { id: hostingId }, pollWhile: pendingOnServer });
  const [editing, setEditing] = useState<string | null>(null);
  const columns: Column<SftpUser>[] = [
    { id: 'name', header: t('sftp.name'), sort: 'name', rowHeader: true, className: 'nowrap', cell: (u) => <code>{u.name}</code> },
    {
      id: 'connect', header: t('sftp.colConnect'), className: 'nowrap',
      cell: (u) => <><span data-testid="sftp-host">{t('sftp.hostPort', { host: u.host, port: u.port })}</span><br /><code className="hint">{sftpCommand(u)}</code>{u.shell && <><br /><code className="hint">{sshCommand(u)}</code></>}</>,
    },
    { id: 'folder', header: t('sftp.folder'), sort: 'folder', cell: (u) => (u.folder ? <code>{u.folder}</code> : t('sftp.wholeHome')) },
    { id: 'access', header: t('sftp.colAccess'), className: 'wrap', cell: (u) => <Access user={u} /> },
    {
      id: 'state', header: t('sftp.colState'),
      cell: (u) => <>{u.locked ? <span className="badge badge-suspended">{t('sftp.locked')}</span> : !u.enabled && <span className="badge badge-disabled">{t('status.disabled')}</span>} <ProvisioningState provisioning={u.provisioning} /></>,
    },
  ];
  if (writable) {
    columns.push({
      id: 'actions', header: t('field.actions'),
      cell: (u) => (
        <div className="row-actions">
          <button type="button" onClick={() => setEditing(u.id)} aria-label={t('sftp.changeFor', { name: u.name })} aria-expanded={editing === u.id}>{t('sftp.change')}</button>
          <NewPassword user={u} onSecret={onSecret} />
          <RemoveUser user={u} onRemoved={() => editing === u.id && setEditing(null)} />
        </div>
      ),
    });
  }
  const current = list.items.find((u) => u.id === editing);
  return (
    <>
      <DataTable list={list} columns={columns} caption={t('sftp.title')} rowKey={(u) => u.id} searchLabel={t('sftp.search')}
        empty={list.query ? t('table.noMatch') : t('sftp.none')} />
      {writable && current && <SftpUserEdit key={current.id} user={current} sshAllowed={sshAllowed} onDone={() => setEditing(null)} />}
    </>
  );
}

function Access({ user: u }: { user: SftpUser }) {
  const { t } = useI18n();
  const ways = [u.password ? t('sftp.hasPassword') : null, u.keys.length ? t('sftp.keyCount', { count: u.keys.length }) : null, u.shell ? t('sftp.hasShell') : null].filter(Boolean);
  return <>{ways.join(' · ') || t('sftp.noAccess')}</>;
}

function NewPassword({ user: u, onSecret }: { user: SftpUser; onSecret(s: SftpSecret): void }) {
  const { t } = useI18n();
  const reset = async () => {
    const made = await change('post', '/sftp-users/{id}/password', { path: { id: u.id } });
    if (made.newPassword) onSecret({ name: made.name, password: made.newPassword });
  };
  return (
    <ConfirmButton label={t('sftp.newPassword')} accessibleLabel={t('sftp.newPasswordFor', { name: u.name })} title={t('sftp.newPasswordTitle', { name: u.name })}
      confirmLabel={t('sftp.newPasswordConfirm')} danger={false} onConfirm={reset}>
      <p>{t(u.password ? 'sftp.newPasswordLoses' : 'sftp.newPasswordFirst', { name: u.name })}</p>
    </ConfirmButton>
  );
}

function RemoveUser({ user: u, onRemoved }: { user: SftpUser; onRemoved(): void }) {
  const { t } = useI18n();
  const remove = async () => {
    await change('delete', '/sftp-users/{id}', { path: { id: u.id } });
    onRemoved();
  };
  return (
    <ConfirmButton label={t('sftp.remove')} accessibleLabel={t('sftp.removeFor', { name: u.name })} title={t('sftp.removeTitle', { name: u.name })}
      confirmLabel={t('sftp.removeConfirm')} onConfirm={remove}>
      <p>{t('sftp.removeLoses', { name: u.name })}</p>
    </ConfirmButton>
  );
}
