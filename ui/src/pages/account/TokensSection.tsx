// API tokens: create one (its secret is shown once), list with their last use (when, from which
// address), revoke.
import { useState } from 'react';
import { change, useGet, type Answer } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';

export function TokensSection() {
  const { t, fmt } = useI18n();
  const tokens = useGet('/tokens', {});
  const [created, setCreated] = useState<Answer<'/tokens', 'post'> | null>(null);
  const form = useForm({ name: '', expiresAt: '' });
  const create = async (v: typeof form.values) => {
    const expiresAt = v.expiresAt ? new Date(`${v.expiresAt}T23:59:59`).toISOString() : undefined;
    setCreated(await change('post', '/tokens', { body: { name: v.name, expiresAt } }));
    form.reset({ name: '', expiresAt: '' });
  };
  return (
    <Section title={t('token.title')}>
      <p className="hint">{t('token.explained')}</p>
      {created?.token && <SecretOnce label={t('token.created', { name: created.name })} value={created.token} note={t('token.once')} />}
      <TableScroll label={t('token.title')}>
        <table>
          <caption className="visually-hidden">{t('token.title')}</caption>
          <thead>
            <tr><th scope="col">{t('field.name')}</th><th scope="col">{t('token.prefix')}</th><th scope="col">{t('token.expires')}</th>
              <th scope="col">{t('token.lastUsed')}</th><th scope="col">{t('field.created')}</th><th scope="col"><span className="visually-hidden">{t('field.actions')}</span></th></tr>
          </thead>
          <tbody>
            {tokens.data?.items.map((tk) => (
              <tr key={tk.id}>
                <th scope="row">{tk.name}</th>
                <td><code>{tk.prefix}…</code></td>
                <td>{tk.expiresAt ? fmt.date(tk.expiresAt) : t('token.never')}</td>
                <td>
                  {tk.lastUsedAt ? fmt.dateTime(tk.lastUsedAt) : t('token.notUsed')}
                  {tk.lastUsedAddress && <><br /><span className="hint">{t('token.from', { address: tk.lastUsedAddress })}</span></>}
                </td>
                <td>{fmt.date(tk.createdAt)}</td>
                <td>
                  <ConfirmButton label={t('token.revoke')} title={t('token.revokeTitle', { name: tk.name })} confirmLabel={t('token.revoke')}
                    onConfirm={async () => { await change('delete', '/tokens/{id}', { path: { id: tk.id } }); }}>
                    <p>{t('token.revokeLoses', { name: tk.name })}</p>
                  </ConfirmButton>
                </td>
              </tr>
            ))}
            {tokens.data?.items.length === 0 && <tr><td colSpan={6} className="empty">{t('token.none')}</td></tr>}
          </tbody>
        </table>
      </TableScroll>
      <h3>{t('token.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('token.createSubmit')} label={t('token.create')}>
        <TextField name="name" label={t('field.name')} hint={t('token.nameHint')} required />
        <TextField name="expiresAt" label={t('token.expiresAt')} hint={t('token.expiresHint')} type="date" />
      </Form>
    </Section>
  );
}
