// Who acts for a customer: the people with access (their role changed or their access removed by
// owners), the invitations waiting for their recipient (renewed with a new link, or revoked), and
// inviting someone by email with a role. Inviting gives a link to send, shown once: the answer is the
// same whatever the email is (new person, existing account), so nothing is said about the address.
// Everyone with access reads this; owners and staff change it, while the customer is active.
import { useId, useState } from 'react';
import type { Customer, Delegation, DelegationRole, Invitation, InvitationLink } from '../api/model.js';
import { change, useGet } from '../api/query.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { SelectField, TextField } from '../components/fields.js';
import { Form, useForm } from '../components/form.js';
import { Section } from '../components/Page.js';
import { SecretOnce } from '../components/SecretOnce.js';
import { TableScroll } from '../components/TableScroll.js';
import { problemPhrase } from '../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../i18n/i18n.js';
import { useSession } from '../session.js';

const roles: DelegationRole[] = ['owner', 'manager', 'readonly'];

/** Whether the user may change who acts for this customer: owners and staff, while the customer is active (staff always). */
export function useManagesPeople(customer: Customer) {
  const session = useSession();
  return session.isOwner(customer.id) && (customer.status === 'active' || session.isStaff);
}

export function DelegationsSection({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const manages = useManagesPeople(customer);
  const [link, setLink] = useState<{ answer: InvitationLink; renewed: boolean } | null>(null);
  return (
    <Section title={t('delegation.title')}>
      <p className="hint">{t('delegation.rolesExplained')}</p>
      <PeopleTable customer={customer} manages={manages} />
      <h3>{t('invitation.waitingTitle')}</h3>
      {link && <InvitationLinkNotice link={link.answer} renewed={link.renewed} />}
      <InvitationsTable customer={customer} manages={manages} onRenewed={(answer) => setLink({ answer, renewed: true })} />
      {manages && <InviteForm customer={customer} onInvited={(answer) => setLink({ answer, renewed: false })} />}
    </Section>
  );
}

function PeopleTable({ customer, manages }: { customer: Customer; manages: boolean }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const id = customer.id;
  const delegations = useGet('/customers/{id}/delegations', { path: { id } });
  const caption = t('delegation.withAccess');
  return (
    <TableScroll label={caption}>
      <table data-testid="people">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('delegation.person')}</th><th scope="col">{t('delegation.role')}</th><th scope="col">{t('delegation.sinceColumn')}</th>
            {manages && <th scope="col"><span className="visually-hidden">{t('field.actions')}</span></th>}
          </tr>
        </thead>
        <tbody>
          {delegations.data?.items.map((d) => {
            const self = d.userId === session.me?.user.id;
            return (
              <tr key={d.id}>
                <th scope="row">
                  <span className="person">{d.email}</span>
                  {self && <> <span className="hint">{t('delegation.you')}</span></>}
                  {d.pending && <> <span className="badge badge-pending">{t('delegation.pending')}</span></>}
                </th>
                <td>{manages && !self ? <RoleChanger customerId={id} delegation={d} /> : <span className="badge badge-role">{t(`role.${d.role}`)}</span>}</td>
                <td>{fmt.date(d.createdAt)}</td>
                {manages && (
                  <td>
                    {!self && (
                      <ConfirmButton label={t('delegation.remove')} accessibleLabel={t('delegation.removeFor', { email: d.email })} title={t('delegation.removeTitle', { email: d.email })}
                        confirmLabel={t('delegation.remove')}
                        onConfirm={async () => { await change('delete', '/customers/{id}/delegations/{delegationId}', { path: { id, delegationId: d.id } }); }}>
                        <p>{t('delegation.removeLoses', { email: d.email, customer: customer.name })}</p>
                      </ConfirmButton>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A person's role, changed with an explicit button (moving through the list changes nothing by itself). */
function RoleChanger({ customerId, delegation: d }: { customerId: string; delegation: Delegation }) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const [role, setRole] = useState<DelegationRole>(d.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Phrase | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await change('patch', '/customers/{id}/delegations/{delegationId}', { path: { id: customerId, delegationId: d.id }, body: { role } });
    } catch (e) {
      setError(problemPhrase(e, i18n));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="row-actions">
      <label htmlFor={id} className="visually-hidden">{t('delegation.roleOf', { email: d.email })}</label>
      <select id={id} value={role} onChange={(e) => setRole(e.target.value as DelegationRole)} aria-describedby={error ? `${id}-error` : undefined}>
        {roles.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
      </select>
      <button type="button" onClick={save} disabled={busy || role === d.role} aria-label={t('delegation.changeRoleOf', { email: d.email })}>{t('delegation.changeRole')}</button>
      {error && <p id={`${id}-error`} className="field-error" role="alert"><Say phrase={error} /></p>}
    </div>
  );
}

function InvitationsTable({ customer, manages, onRenewed }: { customer: Customer; manages: boolean; onRenewed(link: InvitationLink): void }) {
  const { t, fmt } = useI18n();
  const id = customer.id;
  const invitations = useGet('/customers/{id}/invitations', { path: { id } });
  const items = invitations.data?.items ?? [];
  const caption = t('invitation.waitingTitle');
  if (invitations.data && items.length === 0) return <p data-testid="no-invitation">{t('invitation.noneWaiting')}</p>;
  const expiry = (i: Invitation) =>
    i.expired ? <span className="badge badge-expired">{t('invitation.expiredOn', { when: fmt.dateTime(i.expiresAt) })}</span> : t('invitation.until', { when: fmt.dateTime(i.expiresAt) });
  return (
    <TableScroll label={caption}>
      <table data-testid="invitations">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('field.email')}</th><th scope="col">{t('delegation.role')}</th><th scope="col">{t('invitation.validity')}</th>
            <th scope="col">{t('invitation.invitedBy')}</th>
            {manages && <th scope="col"><span className="visually-hidden">{t('field.actions')}</span></th>}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <th scope="row"><span className="person">{i.email}</span></th>
              <td><span className="badge badge-role">{t(`role.${i.role}`)}</span></td>
              <td>{expiry(i)}</td>
              <td>{i.invitedBy ?? t('invitation.invitedByPlatform')}</td>
              {manages && (
                <td>
                  <div className="row-actions">
                    <ConfirmButton label={t('invitation.renew')} accessibleLabel={t('invitation.renewFor', { email: i.email })} title={t('invitation.renewTitle', { email: i.email })}
                      confirmLabel={t('invitation.renewConfirm')} danger={false}
                      onConfirm={async () => onRenewed(await change('post', '/customers/{id}/invitations/{invitationId}/renew', { path: { id, invitationId: i.id } }))}>
                      <p>{t('invitation.renewExplained', { email: i.email })}</p>
                    </ConfirmButton>
                    <ConfirmButton label={t('invitation.revoke')} accessibleLabel={t('invitation.revokeFor', { email: i.email })} title={t('invitation.revokeTitle', { email: i.email })}
                      confirmLabel={t('invitation.revoke')}
                      onConfirm={async () => { await change('delete', '/customers/{id}/invitations/{invitationId}', { path: { id, invitationId: i.id } }); }}>
                      <p>{t('invitation.revokeExplained', { email: i.email, customer: customer.name })}</p>
                    </ConfirmButton>
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The link of an invitation just made (or renewed): shown once, to copy and send. */
function InvitationLinkNotice({ link, renewed }: { link: InvitationLink; renewed: boolean }) {
  const { t, fmt } = useI18n();
  const note = `${t(renewed ? 'invitation.linkRenewed' : 'invitation.linkNote', { email: link.email, when: fmt.dateTime(link.expiresAt) })} ${t('invitation.linkOnce')}`;
  return <SecretOnce label={t('delegation.invitationFor', { email: link.email })} value={link.invitationUrl} note={note} />;
}

function InviteForm({ customer, onInvited }: { customer: Customer; onInvited(link: InvitationLink): void }) {
  const { t, locale } = useI18n();
  const empty = { email: '', role: 'manager' as DelegationRole, locale };
  const form = useForm(empty);
  const invite = async (v: typeof empty) => {
    onInvited(await change('post', '/customers/{id}/invitations', { path: { id: customer.id }, body: v }));
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('delegation.invite')}</h3>
      <p className="hint">{t('delegation.inviteExplained')}</p>
      <Form form={form} onSubmit={invite} submitLabel={t('delegation.inviteSubmit')} label={t('delegation.invite')}>
        <TextField name="email" label={t('field.email')} type="email" required />
        <SelectField name="role" label={t('delegation.role')} options={roles.map((r) => ({ value: r, label: `${t(`role.${r}`)} — ${t(`role.${r}.explained`)}` }))} />
        <SelectField name="locale" label={t('invitation.mailLanguage')} options={(['fr', 'en'] as const).map((l) => ({ value: l, label: t(`invitation.mailLanguage.${l}`) }))} />
      </Form>
    </>
  );
}
