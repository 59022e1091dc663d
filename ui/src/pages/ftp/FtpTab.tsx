// A hosting's FTP tab (/hostings/<name>/ftp): where to connect (host, port, FTPS, passive ports), the
// quota FTP and SFTP users share, its FTP users (folder, state on the server) with a change of folder
// or sign-in, a new password (shown once) and removal, and the form that creates one. Read-only users, and everyone while the hosting cannot be
// changed, see the list without the actions.
import { useState } from 'react';
import type { FtpUser, Hosting } from '../../api/model.js';
import { change } from '../../api/query.js';
import { useList, type ListState } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { ProvisioningState } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { FtpUserEdit } from './FtpUserEdit.js';
import { TransferQuota } from './TransferQuota.js';

interface Secret { name: string; password: string }

const SUFFIX = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;
const checkName = (v: { name: string }) => (SUFFIX.test(v.name.trim()) ? [] : [issue('name', 'form.ftp_name')]);

export function FtpTab({ hosting, writable }: { hosting: Hosting; writable: boolean }) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<Secret | null>(null);
  const list = useList('/hostings/{id}/ftp-users', { defaultSort: 'name', path: { id: hosting.id } });
  const first = list.items[0];
  return (
    <>
      <Section title={t('ftpTab.connection')}>
        {first ? (
          <dl className="facts" data-testid="ftp-connection">
            <dt>{t('ftpTab.host')}</dt><dd><code>{first.host}</code></dd>
            <dt>{t('ftpTab.port')}</dt><dd><code>{first.port}</code></dd>
            <dt>{t('ftpTab.passive')}</dt><dd><code>{first.passivePorts}</code></dd>
          </dl>
        ) : null}
        <p className="hint">{t('ftpTab.connectionExplained')}</p>
      </Section>
      <Section title={t('ftpUser.title')}>
        <TransferQuota hosting={hosting} />
        {secret && <SecretOnce label={t('ftpTab.passwordOf', { name: secret.name })} value={secret.password} note={t('ftpTab.passwordOnce')} />}
        <FtpUsersTable list={list} writable={writable} onSecret={setSecret} />
        {writable && <FtpUserForm hosting={hosting} onSecret={setSecret} />}
      </Section>
    </>
  );
}

function FtpUsersTable({ list, writable, onSecret }: { list: ListState<FtpUser>; writable: boolean; onSecret(s: Secret): void }) {
  const { t, fmt } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  const columns: Column<FtpUser>[] = [
    { id: 'name', header: t('ftpUser.name'), sort: 'name', rowHeader: true, className: 'nowrap', cell: (u) => <code>{u.name}</code> },
    { id: 'folder', header: t('ftpUser.folder'), sort: 'folder', className: 'wrap', cell: (u) => (u.folder ? <code>{u.folder}</code> : t('ftpUser.wholeHome')) },
    { id: 'enabled', header: t('ftpUser.colEnabled'), cell: (u) => (u.locked ? t('ftpUser.locked') : u.enabled ? t('ftpUser.enabled') : t('ftpUser.disabled')) },
    { id: 'password', header: t('ftpUser.colPassword'), cell: (u) => fmt.dateTime(u.passwordChangedAt) },
    { id: 'state', header: t('ftpUser.colState'), cell: (u) => <ProvisioningState provisioning={u.provisioning} /> },
  ];
  if (writable) {
    columns.push({
      id: 'actions', header: t('field.actions'),
      cell: (u) => (
        <div className="row-actions">
          <button type="button" onClick={() => setEditing(u.id)} aria-label={t('ftpUser.changeFor', { name: u.name })} aria-expanded={editing === u.id}>{t('ftpUser.change')}</button>
          <ConfirmButton label={t('ftpUser.reset')} accessibleLabel={t('ftpUser.resetFor', { name: u.name })} title={t('ftpUser.resetTitle', { name: u.name })}
            confirmLabel={t('ftpUser.resetConfirm')} danger={false}
            onConfirm={async () => {
              const made = await change('post', '/ftp-users/{id}/password', { path: { id: u.id } });
              onSecret({ name: made.name, password: made.newPassword ?? '' });
            }}>
            <p>{t('ftpUser.resetLoses', { name: u.name })}</p>
          </ConfirmButton>
          <ConfirmButton label={t('ftpUser.remove')} accessibleLabel={t('ftpUser.removeFor', { name: u.name })} title={t('ftpUser.removeTitle', { name: u.name })}
            confirmLabel={t('ftpUser.removeConfirm')} onConfirm={async () => {
              await change('delete', '/ftp-users/{id}', { path: { id: u.id } });
              if (editing === u.id) setEditing(null);
            }}>
            <p>{t('ftpUser.removeLoses', { name: u.name })}</p>
          </ConfirmButton>
        </div>
      ),
    });
  }
  const current = list.items.find((u) => u.id === editing);
  return (
    <>
      <DataTable list={list} columns={columns} caption={t('ftpUser.title')} rowKey={(u) => u.id} searchLabel={t('ftpUser.search')} empty={list.query ? t('table.noMatch') : t('ftpUser.none')} />
      {writable && current && <FtpUserEdit key={current.id} user={current} onDone={() => setEditing(null)} />}
    </>
  );
}

function FtpUserForm({ hosting, onSecret }: { hosting: Hosting; onSecret(s: Secret): void }) {
  const { t } = useI18n();
  const empty = { name: '', folder: '' };
  const form = useForm(empty, { validate: checkName });
  const create = async (v: typeof empty) => {
    const made = await change('post', '/hostings/{id}/ftp-users', { path: { id: hosting.id }, body: { name: v.name.trim(), folder: v.folder.trim() } });
    onSecret({ name: made.name, password: made.newPassword ?? '' });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('ftpUser.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('ftpUser.createSubmit')} label={t('ftpUser.create')}>
        <TextField name="name" label={t('ftpUser.name')} required hint={t('ftpUser.nameHint', { full: `${hosting.name}-${form.values.name.trim() || '…'}` })} />
        <TextField name="folder" label={t('ftpUser.folder')} placeholder="var/www/blog" hint={t('ftpUser.folderHint')} />
      </Form>
    </>
  );
}
