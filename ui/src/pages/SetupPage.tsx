// First start: create the first administrator with the one-time link the manager printed (/setup#token).
import { api } from '../api/client.js';
import type { Me } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { Form, useForm } from '../components/form.js';
import { TextField } from '../components/fields.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useHashSecret } from '../router.js';
import { useSession } from '../session.js';

export function SetupPage() {
  const { t } = useI18n();
  const session = useSession();
  const status = useResource<{ needed: boolean }>('/api/v1/setup');
  const token = useHashSecret();
  const form = useForm({ email: '', password: '' });
  const submit = async (v: typeof form.values) => {
    session.signedIn(await api<Me>('POST', '/api/v1/setup', { token, ...v }));
    history.replaceState(null, '', '/setup');
    navigate('/', { replace: true });
  };
  return (
    <Page title={t('setup.title')}>
      {status.data && !status.data.needed ? (
        <Notice title={t('setup.doneTitle')}>
          <p>{t('setup.done')}</p>
          <p><Link to="/login">{t('setup.toLogin')}</Link></p>
        </Notice>
      ) : !token ? (
        <Notice kind="warning" title={t('setup.noTokenTitle')}><p>{t('setup.noToken')}</p></Notice>
      ) : (
        <>
          <p>{t('setup.intro')}</p>
          <Form form={form} onSubmit={submit} submitLabel={t('setup.submit')}>
            <TextField name="email" label={t('field.email')} type="email" autoComplete="username" required />
            <TextField name="password" label={t('field.newPassword')} hint={t('field.passwordHint')} type="password" autoComplete="new-password" required />
          </Form>
        </>
      )}
    </Page>
  );
}
