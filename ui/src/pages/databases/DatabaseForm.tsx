// Creating a database: the name after the hosting's prefix (the full name is shown as it is typed),
// and optionally a user of the same name whose password is then shown once.
import type { DatabaseUsage, Hosting } from '../../api/model.js';
import { change } from '../../api/query.js';
import { CheckboxField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Secret } from './DatabasesTab.js';
import { checkName } from './name-check.js';

export function DatabaseForm({ hosting, usage, onSecret }: { hosting: Hosting; usage: DatabaseUsage; onSecret(s: Secret): void }) {
  const { t } = useI18n();
  const empty = { name: '', user: false };
  const form = useForm(empty, { validate: checkName });
  const full = usage.databases.used >= usage.databases.max;
  const create = async (v: typeof empty) => {
    const made = await change('post', '/hostings/{id}/databases', { path: { id: hosting.id }, body: { name: v.name.trim(), user: v.user } });
    if (made.user) onSecret({ name: made.user.name, password: made.user.password, section: 'databases' });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('database.create')}</h3>
      {full && <p className="hint" data-testid="databases-full">{t('database.full', { max: usage.databases.max, offer: hosting.offerName })}</p>}
      <Form form={form} onSubmit={create} submitLabel={t('database.createSubmit')} label={t('database.create')}>
        <TextField name="name" label={t('database.name')} required hint={t('database.nameHint', { full: `${hosting.name}_${form.values.name.trim() || '…'}` })} />
        <CheckboxField name="user" label={t('database.withUser')} hint={t('database.withUserHint')} />
      </Form>
    </>
  );
}
