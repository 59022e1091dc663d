// "Forgot your password?" (/password-reset): without a link, the form that asks for one by e-mail
// (the answer is the same whatever the address: the page says a message is on its way if an account
// uses it); with a link (/password-reset#secret, from that e-mail), the form that chooses the new
// password (twice), then the login page. An expired or used link says to ask again.
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { call } from '../api/query.js';
import { Form, issue, useForm } from '../components/form.js';
import { TextField } from '../components/fields.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { useHashSecret } from './SetupPage.js';

export function PasswordResetPage() {
  const { t } = useI18n();
  const token = useHashSecret();
  // the new password's account, once set (the link has left the address bar by then)
  const [done, setDone] = useState<string | null>(null);
  return (
    <Page title={done || token ? t('reset.chooseTitle') : t('reset.title')}>
      {done ? (
        <Notice kind="success" title={t('reset.doneTitle')}>
          <p data-testid="reset-done">{t('reset.done', { email: done })}</p>
          <p><Link to="/login" search={{ next: undefined }}>{t('reset.toLogin')}</Link></p>
        </Notice>
      ) : token ? <ChooseNewPassword token={token} onDone={setDone} /> : <AskForLink />}
    </Page>
  );
}

function AskForLink() {
  const { t } = useI18n();
  const [askedFor, setAskedFor] = useState<string | null>(null);
  const form = useForm({ email: '' });
  const submit = async (v: typeof form.values) => {
    await call('post', '/auth/password-reset', { body: { email: v.email } });
    setAskedFor(v.email);
  };
  if (askedFor) {
    return (
      <Notice kind="success" title={t('reset.sentTitle')}>
        <p data-testid="reset-sent">{t('reset.sent', { email: askedFor })}</p>
        <p><Link to="/login" search={{ next: undefined }}>{t('reset.toLogin')}</Link></p>
      </Notice>
    );
  }
  return (
    <>
      <p>{t('reset.intro')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('reset.ask')} label={t('reset.title')}>
        <TextField name="email" label={t('field.email')} type="email" autoComplete="username" required />
      </Form>
    </>
  );
}

function ChooseNewPassword({ token, onDone }: { token: string; onDone(email: string): void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const form = useForm({ password: '', confirm: '' }, { validate: (v) => (v.password !== v.confirm ? [issue('confirm', 'form.passwords_differ')] : []) });
  const submit = async (v: typeof form.values) => {
    const { email } = await call('post', '/auth/password-reset/confirm', { body: { token, password: v.password } });
    onDone(email);
    // the secret leaves the address bar and the history entry
    await navigate({ to: '/password-reset', hash: '', replace: true });
  };
  return (
    <>
      <p>{t('reset.chooseIntro')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('reset.save')} label={t('reset.chooseTitle')}>
        <TextField name="password" label={t('field.newPassword')} hint={t('field.passwordHint')} type="password" autoComplete="new-password" required />
        <TextField name="confirm" label={t('field.confirmPassword')} type="password" autoComplete="new-password" required />
      </Form>
      <p className="hint"><Link to="/password-reset" hash="">{t('reset.askAgain')}</Link></p>
    </>
  );
}
