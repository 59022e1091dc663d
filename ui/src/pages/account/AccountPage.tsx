// My account: language, e-mail about works, password (a new one ends the other sessions, and may revoke the API tokens
// too), two-factor authentication and API tokens.
import { useState } from 'react';
import { call } from '../../api/query.js';
import { CheckboxField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.js';
import { Notice } from '../../components/Notice.js';
import { Page, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { TokensSection } from './TokensSection.js';
import { TotpSection } from './TotpSection.js';
import { WorkNoticesSection } from './WorkNoticesSection.js';

export function AccountPage() {
  const { t } = useI18n();
  const session = useSession();
  return (
    <Page title={t('account.title')} subtitle={session.me?.user.email}>
      <Section title={t('account.language')}>
        <p className="hint">{t('account.languageHint')}</p>
        <LanguageSwitcher />
      </Section>
      <WorkNoticesSection />
      <PasswordSection />
      <TotpSection />
      <TokensSection />
    </Page>
  );
}

function PasswordSection() {
  const { t } = useI18n();
  const session = useSession();
  const [done, setDone] = useState<null | { tokensRevoked: boolean }>(null);
  const empty = { currentPassword: '', password: '', confirm: '', revokeTokens: false };
  const form = useForm(empty, { validate: (v) => (v.password !== v.confirm ? [issue('confirm', 'form.passwords_differ')] : []) });
  const submit = async (v: typeof empty) => {
    setDone(null);
    await session.signedIn(await call('patch', '/me', { body: { currentPassword: v.currentPassword, password: v.password, revokeTokens: v.revokeTokens } }));
    form.reset(empty);
    setDone({ tokensRevoked: v.revokeTokens });
  };
  return (
    <Section title={t('account.password')}>
      {done && <Notice kind="success"><p>{t(done.tokensRevoked ? 'account.passwordChangedTokens' : 'account.passwordChanged')}</p></Notice>}
      <p className="hint">{t('account.passwordSessions')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('account.passwordSubmit')} label={t('account.password')}>
        <TextField name="currentPassword" label={t('account.currentPassword')} type="password" autoComplete="current-password" required />
        <TextField name="password" label={t('field.newPassword')} hint={t('field.passwordHint')} type="password" autoComplete="new-password" required />
        <TextField name="confirm" label={t('field.confirmPassword')} type="password" autoComplete="new-password" required />
        <CheckboxField name="revokeTokens" label={t('account.revokeTokens')} hint={t('account.revokeTokensHint')} />
      </Form>
    </Section>
  );
}
