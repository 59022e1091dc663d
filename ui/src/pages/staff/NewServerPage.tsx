// Admins register a server; its agent token is shown once.
import { useState } from 'react';
import { Link } from '@tanstack/react-router';
import { change, type Answer, type BodyOf } from '../../api/query.js';
import { CheckboxField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Say } from '../../i18n/i18n.js';
import { Page } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useI18n } from '../../i18n/i18n.js';

const roles: BodyOf<'/servers', 'post'>['roles'] = ['edge', 'web', 'dns', 'mail', 'database', 'ftp', 'backup', 'status'];

export function NewServerPage() {
  const { t, tMaybe } = useI18n();
  const [created, setCreated] = useState<Answer<'/servers', 'post'> | null>(null);
  const initial: Record<string, string | boolean> = { name: '', addresses: '', roles: '', ...Object.fromEntries(roles.map((r) => [`role_${r}`, r === 'web'])) };
  const form = useForm(initial, {
    validate: (v) => (roles.some((r) => v[`role_${r}`]) ? [] : [issue('roles', 'form.one_role')]),
  });
  const submit = async (v: typeof initial) => {
    const body = { name: String(v.name), roles: roles.filter((r) => v[`role_${r}`]), addresses: String(v.addresses).split(/[\s,]+/).filter(Boolean) };
    setCreated(await change('post', '/servers', { body }));
    form.reset(initial);
  };
  return (
    <Page title={t('server.create')} crumbs={[<Link to="/staff/servers" activeOptions={{ exact: true }}>{t('nav.servers')}</Link>]}>
      {created?.agentToken && <SecretOnce label={t('server.created', { name: created.name })} value={created.agentToken} note={t('server.tokenOnce')} />}
      <Form form={form} onSubmit={submit} submitLabel={t('server.create')} actions={<Link to="/staff/servers" className="button">{t('action.back')}</Link>}>
        <TextField name="name" label={t('field.name')} hint={t('server.nameHint')} required />
        <fieldset className="field">
          <legend>{t('server.roles')}</legend>
          {roles.map((r) => <CheckboxField key={r} name={`role_${r}`} label={tMaybe(`serverRole.${r}`, r)} />)}
          {form.errors.roles && <p className="field-error" data-testid="field-error"><Say phrase={form.errors.roles} /></p>}
        </fieldset>
        <TextField name="addresses" label={t('server.addresses')} hint={t('server.addressesHint')} />
      </Form>
    </Page>
  );
}
