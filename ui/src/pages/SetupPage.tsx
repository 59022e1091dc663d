// First start: create the first administrator with the one-time link the manager printed
// (/setup#token). The language of this page becomes the administrator's.
import { Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { takesField } from '../api/operations.js';
import { call, useGet } from '../api/query.js';
import { Form, useForm } from '../components/form.js';
import { TextField } from '../components/fields.js';
import { Notice } from '../components/Notice.js';
import { Page } from '../components/Page.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';

/** The part after # (one-time secrets of setup and invitation links, never sent to the server by the browser). */
export const useHashSecret = () => useRouterState({ select: (s) => s.location.hash.replace(/^#/, '') });

export function SetupPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const status = useGet('/setup', {});
  const token = useHashSecret();
  const form = useForm({ email: '', password: '' });
  const submit = async (v: typeof form.values) => {
    const me = await call('post', '/setup', { body: { token, ...v, ...(takesField('POST /setup', 'locale') ? { locale } : {}) } });
    await session.signedIn(me, { keepLocale: true });
    await navigate({ to: '/', replace: true });
  };
  return (
    <Page title={t('setup.title')}>
      {status.data && !status.data.needed ? (
        <Notice title={t('setup.doneTitle')}>
          <p>{t('setup.done')}</p>
          <p><Link to="/login" search={{ next: undefined }}>{t('setup.toLogin')}</Link></p>
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
