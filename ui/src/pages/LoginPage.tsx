// Log in with email and password; the authenticator code field appears when the account needs it.
// Once logged in, the frame sends the person where they were going (?next=…). Too many failures
// are slowed down by the API (429 auth.rate_limited): the form says how long to wait.
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import type { Me } from '../api/model.js';
import { call } from '../api/query.js';
import { TextField } from '../components/fields.js';
import { Form, useForm } from '../components/form.js';
import { Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';

export function LoginPage() {
  const { t } = useI18n();
  return (
    <Page title={t('login.title')}>
      <p>{t('login.intro')}</p>
      <LoginForm submitLabel={t('login.submit')} />
      <p className="hint"><Link to="/password-reset">{t('login.forgot')}</Link></p>
    </Page>
  );
}

/**
 * The login form. `email` fills the email in (an invitation's); `then` receives the new session
 * instead of the default (adopting it), to do one more thing before (accepting an invitation).
 */
export function LoginForm({ email, submitLabel, then }: { email?: string; submitLabel: string; then?(me: Me): Promise<void> }) {
  const { t } = useI18n();
  const session = useSession();
  const [needsTotp, setNeedsTotp] = useState(false);
  const form = useForm({ email: email ?? '', password: '', totp: '' });
  const submit = async (v: typeof form.values) => {
    let me: Me;
    try {
      me = await call('post', '/auth/login', { body: { email: v.email, password: v.password, ...(needsTotp ? { totp: v.totp } : {}) } });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'auth.totp_required') setNeedsTotp(true);
      throw e;
    }
    await (then ? then(me) : session.signedIn(me));
  };
  return (
    <Form form={form} onSubmit={submit} submitLabel={submitLabel} label={t('login.title')}>
      <TextField name="email" label={t('field.email')} type="email" autoComplete="username" required />
      <TextField name="password" label={t('field.password')} type="password" autoComplete="current-password" required />
      {needsTotp && (
        <TextField name="totp" label={t('login.totp')} hint={t('login.totpHint')} inputMode="numeric" autoComplete="one-time-code" required />
      )}
    </Form>
  );
}
