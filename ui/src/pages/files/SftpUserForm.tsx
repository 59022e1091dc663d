// Adding an SFTP user: the name after the hosting's prefix, its folder, and how it signs in (a
// generated password shown once, and/or public keys), and — when the hosting's offer allows SSH — a
// shell in the hosting's jail (the whole home: no folder then).
import type { Hosting } from '../../api/model.js';
import { change } from '../../api/query.js';
import { CheckboxField, TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { keyLines } from './sftp-model.js';
import type { SftpSecret } from './SftpTab.js';

export function SftpUserForm({ hosting, sshAllowed, onSecret }: { hosting: Hosting; sshAllowed: boolean; onSecret(s: SftpSecret): void }) {
  const { t } = useI18n();
  const empty = { name: '', folder: '', password: true, shell: false, keys: '' };
  const form = useForm(empty);
  const create = async (v: typeof empty) => {
    const made = await change('post', '/hostings/{id}/sftp-users', {
      path: { id: hosting.id }, body: { name: v.name.trim(), folder: v.folder.trim(), password: v.password, keys: keyLines(v.keys), ...(sshAllowed ? { shell: v.shell } : {}) },
    });
    if (made.newPassword) onSecret({ name: made.name, password: made.newPassword });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('sftp.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('sftp.createSubmit')} label={t('sftp.create')}>
        <TextField name="name" label={t('sftp.name')} required hint={t('sftp.nameHint', { full: `${hosting.name}-${form.values.name.trim() || '…'}` })} />
        <TextField name="folder" label={t('sftp.folder')} hint={t('sftp.folderHint')}/>
        <fieldset className="field field-choices" data-testid="sftp-access">
          <legend>{t('sftp.access')}</legend>
          <CheckboxField name="password" label={t('sftp.withPassword')} hint={t('sftp.withPasswordHint')} />
          {sshAllowed && <CheckboxField name="shell" label={t('sftp.withShell')} hint={t('sftp.withShellHint')} />}
        </fieldset>
        <TextArea name="keys" label={t('sftp.keys')} hint={t('sftp.keysHint')} rows={3} mono />
      </Form>
    </>
  );
}
