// Who acts for a customer: invite by email with a role (the invitation link is shown when the
// person has no account yet), and remove access. Owners and staff manage it; others read it.
import { useState } from 'react';
import type { Customer, DelegationRole } from '../api/model.js';
import { change, useGet } from '../api/query.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { SelectField, TextField } from '../components/fields.js';
import { Form, useForm } from '../components/form.js';
import { Section } from '../components/Page.js';
import { SecretOnce } from '../components/SecretOnce.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';

const roles: DelegationRole[] = ['owner', 'manager', 'readonly'];

export function DelegationsSection({ customer }: { customer: Customer }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const id = customer.id;
  const delegations = useGet('/customers/{id}/delegations', { path: { id } });
  const owner = session.isOwner(customer.id);
  const [invitation, setInvitation] = useState<{ email: string; url: string } | null>(null);
  const empty = { email: '', role: 'manager' as DelegationRole };
  const form = useForm(empty);
  const invite = async (v: typeof empty) => {
    const d = await change('post', '/customers/{id}/delegations', { path: { id }, body: v });
    setInvitation(d.invitationUrl ? { email: d.email, url: d.invitationUrl } : null);
    form.reset(empty);
  };
  return (
    <Section title={t('delegation.title')}>
      <p className="hint">{t('delegation.rolesExplained')}</p>
      <ul className="people">
        {delegations.data?.items.map((d) => (
          <li key={d.id}>
            <span className="person">{d.email}</span> <span className="badge badge-role">{t(`role.${d.role}`)}</span>
            {d.pending && <span className="badge badge-pending">{t('delegation.pending')}</span>}
            <span className="hint"> {t('delegation.since', { when: fmt.date(d.createdAt) })}</span>
            {owner && d.userId !== session.me?.user.id && (
              <ConfirmButton label={t('delegation.remove')} title={t('delegation.removeTitle', { email: d.email })} confirmLabel={t('delegation.remove')}
                onConfirm={async () => { await change('delete', '/customers/{id}/delegations/{delegationId}', { path: { id, delegationId: d.id } }); }}>
                <p>{t('delegation.removeLoses', { email: d.email, customer: customer.name })}</p>
              </ConfirmButton>
            )}
          </li>
        ))}
      </ul>
      {invitation && (
        <SecretOnce label={t('delegation.invitationFor', { email: invitation.email })} value={invitation.url} note={t('delegation.invitationNote')} />
      )}
      {owner && (
        <>
          <h3>{t('delegation.invite')}</h3>
          <Form form={form} onSubmit={invite} submitLabel={t('delegation.inviteSubmit')} label={t('delegation.invite')}>
            <TextField name="email" label={t('field.email')} type="email" required />
            <SelectField name="role" label={t('delegation.role')} options={roles.map((r) => ({ value: r, label: `${t(`role.${r}`)} — ${t(`role.${r}.explained`)}` }))} />
          </Form>
        </>
      )}
    </Section>
  );
}
