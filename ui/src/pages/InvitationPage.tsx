// An invited person chooses their password with the link they received (/invitation#secret). The
// language of this page becomes the new account's.
import { useNavigate } from '@tanstack/react-router';
import { takesField } from '../api/operations.js';
import { call } from '../api/query.js';
import { Form, issue, useForm } from '../components/form.js';
import { TextField } from '../components/fields.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';
import { useHashSecret } from './SetupPage.js';

export function InvitationPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const token = useHashSecret();
  const form = useForm({ password: '', confirm: '' }, { validate: (v) => (v.password !== v.confirm ? [issue('confirm', 'form.passwords_differ')] : []) });
  const submit = async (v: typeof form.values) => {
    const body = { token, password: v.password, ...(takesField('POST /auth/accept-invitation', 'locale') ? { locale } : {}) };
    await session.signedIn(await call('post', '/auth/accept-invitation', { body }), { keepLocale: true });
    await navigate({ to: '/', replace: true });
  };
  return (
    <Page title={t('invitation.title')}>
      {!token ? (
        <Notice kind="warning" title={t('invitation.noTokenTitle')}><p>{t('invitation.noToken')}</p></Notice>
      ) : (
        <>
          <p>{t('invitation.intro')}</p>
          <Form form={form} onSubmit={submit} submitLabel={t('invitation.submit')}>
            <TextField name="password" label={t('field.newPassword')} hint={t('field.passwordHint')} type="password" autoComplete="new-password" required />
            <TextField name="confirm" label={t('field.confirmPassword')} type="password" autoComplete="new-password" required />
          </Form>
        </>
      )}
    </Page>
  );
}
