// The app passwords of one mailbox, in a hosting's Mail tab: one per device (phone, laptop…), each
// generated and shown once, usable with the mailbox's address as login (IMAP, POP3, SMTP), revoked
// alone. Read-only users see the names and dates only.
import { useState } from 'react';
import type { Mailbox } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';

export function AppPasswordsSection({ mailbox, writable }: { mailbox: Mailbox; writable: boolean }) {
  const { t, fmt } = useI18n();
  const title = t('appPassword.title', { address: mailbox.address });
  const answer = useGet('/mailboxes/{id}/app-passwords', { path: { id: mailbox.id } });
  const [secret, setSecret] = useState<{ name: string; password: string } | null>(null);
  const items = answer.data?.items ?? [];
  return (
    <Section title={title}>
      <p className="hint">{t('appPassword.explained', { address: mailbox.address })}</p>
      {secret && <SecretOnce label={t('appPassword.secretOf', { name: secret.name })} value={secret.password} note={t('appPassword.once', { address: mailbox.address })} />}
      <TableScroll label={title}>
        <table data-testid="app-passwords" aria-busy={answer.isPending}>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr><th scope="col">{t('appPassword.name')}</th><th scope="col">{t('appPassword.created')}</th>{writable && <th scope="col">{t('field.actions')}</th>}</tr>
          </thead>
          <tbody>
            {!items.length && <tr><td className="empty" colSpan={writable ? 3 : 2}>{answer.isPending ? '…' : t('appPassword.none')}</td></tr>}
            {items.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>{fmt.dateTime(p.createdAt)}</td>
                {writable && (
                  <td>
                    <ConfirmButton label={t('appPassword.revoke')} accessibleLabel={t('appPassword.revokeFor', { name: p.name })} title={t('appPassword.revokeTitle', { name: p.name })}
                      confirmLabel={t('appPassword.revokeConfirm')} onConfirm={async () => void (await change('delete', '/app-passwords/{id}', { path: { id: p.id } }))}>
                      <p>{t('appPassword.revokeLoses', { name: p.name, address: mailbox.address })}</p>
                    </ConfirmButton>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {writable && <AppPasswordForm mailbox={mailbox} onSecret={setSecret} />}
    </Section>
  );
}

function AppPasswordForm({ mailbox, onSecret }: { mailbox: Mailbox; onSecret(s: { name: string; password: string }): void }) {
  const { t } = useI18n();
  const empty = { name: '' };
  const form = useForm(empty, { validate: (v) => (v.name.trim() ? [] : [issue('name', 'form.app_password_name')]) });
  const create = async (v: typeof empty) => {
    const made = await change('post', '/mailboxes/{id}/app-passwords', { path: { id: mailbox.id }, body: { name: v.name.trim() } });
    onSecret({ name: made.name, password: made.password });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('appPassword.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('appPassword.createSubmit')} label={t('appPassword.create')}>
        <TextField name="name" label={t('appPassword.name')} required placeholder={t('appPassword.namePlaceholder')} hint={t('appPassword.nameHint')} />
      </Form>
    </>
  );
}
