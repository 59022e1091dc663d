// Staff: every account — role, language, two-factor, disabled — and creating one (invitation link
// when no password is given).
import { useState } from 'react';
import type { Locale, User, UserRole } from '../../api/model.js';
import { change, type Answer } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { SelectField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Page, Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { StatusBadge } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

export function UsersPage() {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const list = useList('/users', { defaultSort: 'email' });
  const [created, setCreated] = useState<Answer<'/users', 'post'> | null>(null);
  const form = useForm({ email: '', role: 'customer' as UserRole, locale: 'fr' as Locale });
  const create = async (v: typeof form.values) => {
    setCreated(await change('post', '/users', { body: v }));
    form.reset({ email: '', role: 'customer', locale: v.locale });
  };
  const roles = me?.user.role === 'admin' ? (['customer', 'staff', 'admin'] as const) : (['customer'] as const);
  const columns: Column<User>[] = [
    { id: 'email', header: t('field.email'), sort: 'email', rowHeader: true, cell: (u) => u.email },
    { id: 'role', header: t('user.role'), sort: 'role', cell: (u) => t(`userRole.${u.role}`) },
    { id: 'locale', header: t('user.locale'), cell: (u) => t(`locale.${u.locale}`) },
    { id: 'totp', header: t('user.totp'), cell: (u) => (u.totpEnabled ? t('common.yes') : t('common.no')) },
    { id: 'state', header: t('field.status'), cell: (u) => <StatusBadge status={u.disabled ? 'disabled' : u.passwordSet ? 'active' : 'invited'} /> },
    { id: 'created', header: t('field.created'), sort: 'createdAt', cell: (u) => fmt.date(u.createdAt) },
  ];
  return (
    <Page title={t('nav.users')}>
      <DataTable list={list} columns={columns} caption={t('nav.users')} rowKey={(u) => u.id} searchLabel={t('user.search')} empty={t('table.noMatch')} />
      <Section title={t('user.create')}>
        {created?.invitationUrl && <SecretOnce label={t('delegation.invitationFor', { email: created.email })} value={created.invitationUrl} note={t('delegation.invitationNote')} />}
        <p className="hint">{t('user.createHint')}</p>
        <Form form={form} onSubmit={create} submitLabel={t('user.createSubmit')} label={t('user.create')}>
          <TextField name="email" label={t('field.email')} type="email" required />
          <SelectField name="role" label={t('user.role')} options={roles.map((r) => ({ value: r, label: t(`userRole.${r}`) }))} />
          <SelectField name="locale" label={t('user.locale')} options={(['fr', 'en'] as const).map((l) => ({ value: l, label: t(`locale.${l}`) }))} />
        </Form>
      </Section>
    </Page>
  );
}
