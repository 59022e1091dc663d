// The databases a user may use, ticked in a checklist of the hosting's databases: saving grants the
// ticked ones and revokes the others.
import type { DatabaseUser } from '../../api/model.js';
import { change } from '../../api/query.js';
import { ChecklistField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { useDatabaseOptions } from './database-options.js';

export function GrantsForm({ hostingId, user, onDone }: { hostingId: string; user: DatabaseUser; onDone(): void }) {
  const { t } = useI18n();
  const options = useDatabaseOptions(hostingId);
  const form = useForm({ databases: user.databases });
  const save = async (v: { databases: string[] }) => {
    await change('patch', '/database-users/{id}', { path: { id: user.id }, body: { databases: v.databases } });
    onDone();
  };
  const title = t('databaseUser.grantsTitle', { name: user.name });
  return (
    <div className="grants" data-testid="grants-form">
      <h3>{title}</h3>
      <Form form={form} onSubmit={save} submitLabel={t('databaseUser.grantsSubmit')} label={title}
        actions={<button type="button" onClick={onDone}>{t('action.cancel')}</button>}>
        <ChecklistField name="databases" label={t('databaseUser.databases')} hint={t('databaseUser.databasesHint')} options={options} empty={t('databaseUser.noDatabaseYet')} />
      </Form>
    </div>
  );
}
