// An invited person chooses their password with the link they received (/invitation#secret).
import { api } from '../api/client.js';
import type { Me } from '../api/types.js';
import { fieldError, Form, useForm } from '../components/form.js';
import { TextField } from '../components/fields.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { navigate, useHashSecret } from '../router.js';
import { useSession } from '../session.js';

export function InvitationPage() {
  const { t } = useI18n();
  const session = useSession();
  const token = useHashSecret();
  const form = useForm({ password: '', confirm: '' });
  const submit = async (v: typeof form.values) => {
    if (v.password !== v.confirm) throw fieldError('confirm', 'passwords differ');
    session.signedIn(await api<Me>('POST', '/api/v1/auth/accept-invitation', { token, password: v.password }));
    history.replaceState(null, '', '/invitation');
    navigate('/', { replace: true });
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
