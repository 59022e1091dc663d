// The page of an invitation link (/invitation#secret). It first asks the API what the link is for
// (POST /auth/invitation: the customer, the role, and what to do next), then:
//   choose_password  a new account: a password (twice); the language of this page becomes the account's
//   log_in           the account exists: log in to it (email filled in), which accepts the invitation
//   accept           logged in as the invited account: a consent button "Join … as …"
//   switch_account   logged in as another account: log out, then log in as the invited one
//   staff_account    a staff account cannot join a customer: said plainly
// An expired or used link says to ask for a new one.
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { setCsrfToken } from '../api/client.js';
import type { InvitationView, Me } from '../api/model.js';
import { call, LIVE } from '../api/query.js';
import { Form, issue, useForm } from '../components/form.js';
import { TextField } from '../components/fields.js';
import { Notice } from '../components/Notice.js';
import { Loading, Page } from '../components/Page.js';
import { problemPhrase } from '../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../i18n/i18n.js';
import { useSession } from '../session.js';
import { LoginForm } from './LoginPage.js';
import { useHashSecret } from './SetupPage.js';

export function InvitationPage() {
  const { t } = useI18n();
  const session = useSession();
  const token = useHashSecret();
  // while joining, the link is being spent: it is not looked at again (the session changes) before the next page opens
  const [joining, setJoining] = useState(false);
  const look = useQuery({
    // asked again when the visitor logs in or out (what to do next depends on who is logged in)
    queryKey: ['invitation', token, session.me?.user.id ?? null],
    queryFn: () => call('post', '/auth/invitation', { body: { token } }),
    enabled: !!token && !session.loading && !joining,
    meta: LIVE,
    staleTime: Infinity,
  });
  return (
    <Page title={t('invitation.title')}>
      {!token ? (
        <Notice kind="warning" title={t('invitation.noTokenTitle')}><p>{t('invitation.noToken')}</p></Notice>
      ) : look.error ? (
        <Unusable error={look.error} />
      ) : !look.data ? (
        joining ? <p role="status" className="loading">{t('invitation.joining')}</p> : <Loading />
      ) : (
        <Invitation view={look.data} token={token} setJoining={setJoining} />
      )}
    </Page>
  );
}

function Unusable({ error }: { error: unknown }) {
  const i18n = useI18n();
  return (
    <div className="notice notice-error" role="alert" data-testid="invitation-unusable">
      <p className="notice-title">{i18n.t('invitation.unusableTitle')}</p>
      <p><Say phrase={problemPhrase(error, i18n)} /></p>
      <p><Link to="/login" search={{ next: undefined }}>{i18n.t('invitation.toLogin')}</Link></p>
    </div>
  );
}

/** "as an owner", "with read-only access"… */
function useAsRole(view: InvitationView) {
  const { t } = useI18n();
  return view.role ? t(`invitation.as.${view.role}`) : '';
}

function Invitation({ view, token, setJoining }: { view: InvitationView; token: string; setJoining(v: boolean): void }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const as = useAsRole(view);
  const customer = view.customer ? t('invitation.customer', { name: view.customer.name, number: view.customer.number }) : '';

  /** Accepts as the logged-in account (whose CSRF token is set), then opens the customer. */
  const accept = async () => {
    setJoining(true);
    try {
      const me = await call('post', '/auth/accept-invitation', { body: { token } });
      await session.signedIn(me);
      await navigate(view.customer ? { to: '/customers/$customer', params: { customer: String(view.customer.number) } } : { to: '/' });
    } catch (e) {
      setJoining(false);
      throw e;
    }
  };

  return (
    <>
      {view.kind === 'customer' && view.role && (
        <div data-testid="invitation-summary">
          <p>{t('invitation.forCustomer', { customer, as })}</p>
          <p className="hint">{t('invitation.roleMeans', { role: t(`role.${view.role}`), explained: t(`role.${view.role}.explained`) })}</p>
        </div>
      )}
      <p className="hint">{t('invitation.validUntil', { when: fmt.dateTime(view.expiresAt) })}</p>
      {view.next === 'choose_password' && <ChoosePassword view={view} token={token} customer={customer} />}
      {view.next === 'log_in' && (
        <>
          <p>{t('invitation.logInIntro', { email: view.email, customer })}</p>
          <LoginForm email={view.email} submitLabel={t('invitation.logInSubmit')}
            then={async (me: Me) => {
              setCsrfToken(me.csrfToken);
              try {
                await accept();
              } catch (e) {
                // logged in all the same: the page then says what to do with this account
                await session.signedIn(me);
                throw e;
              }
            }} />
        </>
      )}
      {view.next === 'accept' && <Consent view={view} customer={customer} as={as} accept={accept} />}
      {view.next === 'switch_account' && (
        <Notice kind="warning" title={t('invitation.switchTitle')}>
          <p>{t('invitation.switch', { signedInAs: view.signedInAs ?? '', email: view.email })}</p>
          <p><button type="button" onClick={() => void session.logout()}>{t('invitation.logOut')}</button></p>
        </Notice>
      )}
      {view.next === 'staff_account' && (
        <Notice kind="warning" title={t('invitation.staffTitle')}>
          <p data-testid="invitation-refused">{t('invitation.staff', { email: view.email })}</p>
        </Notice>
      )}
    </>
  );
}

function ChoosePassword({ view, token, customer }: { view: InvitationView; token: string; customer: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const form = useForm({ password: '', confirm: '' }, { validate: (v) => (v.password !== v.confirm ? [issue('confirm', 'form.passwords_differ')] : []) });
  const submit = async (v: typeof form.values) => {
    const me = await call('post', '/auth/accept-invitation', { body: { token, password: v.password, locale } });
    await session.signedIn(me, { keepLocale: true });
    await navigate({ to: '/', replace: true });
  };
  const account = view.kind === 'account';
  return (
    <>
      <p>{account ? t('invitation.activateIntro', { email: view.email }) : t('invitation.newAccountIntro', { email: view.email, customer })}</p>
      <Form form={form} onSubmit={submit} submitLabel={account ? t('invitation.submit') : t('invitation.newAccountSubmit')} label={t('invitation.passwordForm')}>
        <TextField name="password" label={t('field.newPassword')} hint={t('field.passwordHint')} type="password" autoComplete="new-password" required />
        <TextField name="confirm" label={t('field.confirmPassword')} type="password" autoComplete="new-password" required />
      </Form>
    </>
  );
}

/** Logged in as the invited account: joining is its explicit choice. */
function Consent({ view, customer, as, accept }: { view: InvitationView; customer: string; as: string; accept(): Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Phrase | null>(null);
  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      await accept();
    } catch (e) {
      setError(problemPhrase(e, i18n));
      setBusy(false);
    }
  };
  return (
    <>
      <p>{t('invitation.signedInAs', { email: view.signedInAs ?? view.email })}</p>
      {error && <p className="notice notice-error" role="alert"><Say phrase={error} /></p>}
      <div className="form-actions">
        <button type="button" className="primary" onClick={join} disabled={busy}>{t('invitation.join', { customer, as })}</button>
        <Link to="/" className="button">{t('invitation.notNow')}</Link>
      </div>
    </>
  );
}
