// A hosting's databases tab (/hostings/<name>/databases): its database quotas and where PHP connects,
// its databases and its database users. A password made by a creation or a reset is shown once, in
// the section where it was asked for. Read-only users, and everyone while the hosting cannot be
// changed (suspended, terminated, customer suspended or closed), see the lists without the actions.
import { useState } from 'react';
import type { Hosting } from '../../api/model.js';
import { useGet } from '../../api/query.js';
import { Loaded, Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useI18n } from '../../i18n/i18n.js';
import { DatabaseForm } from './DatabaseForm.js';
import { DatabaseQuotas } from './DatabaseQuotas.js';
import { DatabasesTable } from './DatabasesTable.js';
import { DatabaseUserForm } from './DatabaseUserForm.js';
import { DatabaseUsersTable } from './DatabaseUsersTable.js';

/** A password just made, for the user it belongs to, and the section that asked for it. */
export interface Secret {
  name: string;
  password: string;
  section: 'databases' | 'users';
}

/** `writable`: whether the user may change the hosting (its page decides, as for its sites). */
export function DatabasesTab({ hosting, writable }: { hosting: Hosting; writable: boolean }) {
  const { t } = useI18n();
  const usage = useGet('/hostings/{id}/database-usage', { path: { id: hosting.id } });
  const [secret, setSecret] = useState<Secret | null>(null);
  const shown = (section: Secret['section']) =>
    secret?.section === section && <SecretOnce label={t('dbTab.passwordOf', { name: secret.name })} value={secret.password} note={t('dbTab.passwordOnce')} />;
  return (
    <>
      <Loaded query={usage}>{(u) => <DatabaseQuotas usage={u} />}</Loaded>
      <Section title={t('database.title')}>
        {shown('databases')}
        <DatabasesTable hostingId={hosting.id} writable={writable} />
        {writable && usage.data && <DatabaseForm hosting={hosting} usage={usage.data} onSecret={setSecret} />}
      </Section>
      <Section title={t('databaseUser.title')}>
        {shown('users')}
        <DatabaseUsersTable hostingId={hosting.id} writable={writable} onSecret={setSecret} />
        {writable && <DatabaseUserForm hosting={hosting} onSecret={setSecret} />}
      </Section>
    </>
  );
}
