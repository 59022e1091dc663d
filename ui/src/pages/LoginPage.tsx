// Log in with email and password; the authenticator code field appears when the account needs it.
// Once logged in, the frame sends the person where they were going (?next=…).
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { call } from '../api/query.js';
import { TextField } from '../components/fields.js';
import { Form, useForm } from '../components/form.js';
import { Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';

export function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const [needsTotp, setNeedsTotp] = useState(false);
  const form = useForm({ email: '', password: '', totp: '' });
  const submit = async (v: typeof form.values) => {
    try {
      await session.signedIn(await call('post', '/auth/login', { body: { email: v.email, password: v.password, ...(needsTotp ? { totp: v.totp } : {}) } }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'auth.totp_required') setNeedsTotp(true);
      throw e;
    }
  };
  return (
    <Page title={t('login.title')}>
      <p>{t('login.intro')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('login.submit')}>
        <TextField name="email" label={t('field.email')} type="email" autoComplete="username" required />
        <TextField name="password" label={t('field.password')} type="password" autoComplete="current-password" required />
        {needsTotp && (
          <TextField name="totp" label={t('login.totp')} hint={t('login.totpHint')} inputMode="numeric" autoComplete="one-time-code" required />
        )}
      </Form>
      <p className="hint">{t('login.forgot')}</p>
    </Page>
  );
}
