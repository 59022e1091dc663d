// Changing an FTP user: its restriction folder and whether it may sign in (its password is kept
// while it is disabled). Its row in the table shows the result; saving or "Cancel" closes the panel.
import type { FtpUser } from '../../api/model.js';
import { change } from '../../api/query.js';
import { CheckboxField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';

export function FtpUserEdit({ user: u, onDone }: { user: FtpUser; onDone(): void }) {
  const { t } = useI18n();
  const form = useForm({ folder: u.folder, enabled: u.enabled });
  const save = async (v: { folder: string; enabled: boolean }) => {
    await change('patch', '/ftp-users/{id}', { path: { id: u.id }, body: { folder: v.folder.trim(), enabled: v.enabled } });
    onDone();
  };
  const title = t('ftpUser.changeTitle', { name: u.name });
  return (
    <div className="grants" data-testid="ftp-edit">
      <h3>{title}</h3>
      <Form form={form} onSubmit={save} submitLabel={t('action.save')} label={title} actions={<button type="button" onClick={onDone}>{t('action.cancel')}</button>}>
        <TextField name="folder" label={t('ftpUser.folder')} placeholder="var/www/blog" hint={t('ftpUser.folderHint')} />
        <fieldset className="field field-choices">
          <legend>{t('ftpUser.signIn')}</legend>
          <CheckboxField name="enabled" label={t('ftpUser.enabledField')} hint={t('ftpUser.enabledHint')} />
        </fieldset>
      </Form>
    </div>
  );
}
