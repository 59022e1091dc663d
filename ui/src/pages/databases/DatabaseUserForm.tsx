// Creating a database user: the name after the hosting's prefix and the databases it may use; its
// password is shown once.
import type { Hosting } from '../../api/model.js';
import { change } from '../../api/query.js';
import { ChecklistField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { useDatabaseOptions } from './database-options.js';
import type { Secret } from './DatabasesTab.js';
import { checkName } from './name-check.js';

export function DatabaseUserForm({ hosting, onSecret }: { hosting: Hosting; onSecret(s: Secret): void }) {
  const { t } = useI18n();
  const options = useDatabaseOptions(hosting.id);
  const empty = { name: '', databases: [] as string[] };
  const form = useForm(empty, { validate: checkName });
  const create = async (v: typeof empty) => {
    const made = await change('post', '/hostings/{id}/database-users', { path: { id: hosting.id }, body: { name: v.name.trim(), databases: v.databases } });
    onSecret({ name: made.name, password: made.password, section: 'users' });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('databaseUser.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('databaseUser.createSubmit')} label={t('databaseUser.create')}>
        <TextField name="name" label={t('databaseUser.name')} required hint={t('databaseUser.nameHint', { full: `${hosting.name}_${form.values.name.trim() || '…'}` })} />
        <ChecklistField name="databases" label={t('databaseUser.databases')} hint={t('databaseUser.databasesHint')} options={options} empty={t('databaseUser.noDatabaseYet')} />
      </Form>
    </>
  );
}
