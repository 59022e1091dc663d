// Changing an SFTP user: its folder, whether it may sign in and its shell (one form; the shell only
// when the offer allows SSH, or to take one back), its public keys (each
// removable, one added at a time) and removing its password (keys only). Its row in the table shows
// the result; "Done" closes the panel.
import type { SftpUser } from './sftp-model.js';
import { change } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CheckboxField, TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';

export function SftpUserEdit({ user: u, sshAllowed, onDone }: { user: SftpUser; sshAllowed: boolean; onDone(): void }) {
  const { t } = useI18n();
  const form = useForm({ folder: u.folder, enabled: u.enabled, shell: u.shell });
  const withShell = sshAllowed || u.shell;
  const save = async (v: { folder: string; enabled: boolean; shell: boolean }) => {
    const shell = withShell && v.shell !== u.shell ? { shell: v.shell } : {};
    await change('patch', '/sftp-users/{id}', { path: { id: u.id }, body: { folder: v.folder.trim(), enabled: v.enabled, ...shell } });
    onDone();
  };
  const title = t('sftp.changeTitle', { name: u.name });
  return (
    <div className="grants" data-testid="sftp-edit">
      <h3>{title}</h3>
      <Form form={form} onSubmit={save} submitLabel={t('action.save')} label={title} actions={<button type="button" onClick={onDone}>{t('action.cancel')}</button>}>
        <TextField name="folder" label={t('sftp.folder')} hint={t('sftp.folderHint')}/>
        <fieldset className="field field-choices" data-testid="sftp-access">
          <legend>{t('sftp.access')}</legend>
          <CheckboxField name="enabled" label={t('sftp.enabled')} hint={t('sftp.enabledHint')} />
          {withShell && <CheckboxField name="shell" label={t('sftp.withShell')} hint={t('sftp.withShellHint')} />}
        </fieldset>
      </Form>
      <h4>{t('sftp.keys')}</h4>
      {u.keys.length === 0 ? <p className="hint">{t('sftp.noKey')}</p> : (
        <ul className="plain-list" data-testid="sftp-keys">
          {u.keys.map((k) => (
            <li key={k.id}>
              <code>{k.type} {k.bits} {k.fingerprint}</code> {k.comment}{' '}
              <ConfirmButton label={t('sftp.removeKey')} accessibleLabel={t('sftp.removeKeyFor', { fingerprint: k.fingerprint })} title={t('sftp.removeKeyTitle')}
                confirmLabel={t('sftp.removeKeyConfirm')} onConfirm={async () => { await change('delete', '/sftp-users/{id}/keys/{key}', { path: { id: u.id, key: k.id } }); }}>
                <p>{t('sftp.removeKeyLoses', { fingerprint: k.fingerprint })}</p>
              </ConfirmButton>
            </li>
          ))}
        </ul>
      )}
      <AddKey user={u} />
      {u.password && u.keys.length > 0 && (
        <ConfirmButton label={t('sftp.removePassword')} title={t('sftp.removePasswordTitle', { name: u.name })} confirmLabel={t('sftp.removePasswordConfirm')}
          onConfirm={async () => { await change('delete', '/sftp-users/{id}/password', { path: { id: u.id } }); }}>
          <p>{t('sftp.removePasswordLoses', { name: u.name })}</p>
        </ConfirmButton>
      )}
    </div>
  );
}

function AddKey({ user: u }: { user: SftpUser }) {
  const { t } = useI18n();
  const form = useForm({ key: '' });
  const add = async (v: { key: string }) => {
    await change('post', '/sftp-users/{id}/keys', { path: { id: u.id }, body: { key: v.key.trim() } });
    form.reset({ key: '' });
  };
  return (
    <Form form={form} onSubmit={add} submitLabel={t('sftp.addKey')} label={t('sftp.addKeyFor', { name: u.name })}>
      <TextArea name="key" label={t('sftp.newKey')} hint={t('sftp.newKeyHint')} rows={2} mono />
    </Form>
  );
}
