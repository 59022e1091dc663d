// Two-factor authentication: scan a secret, confirm with a current code; disable with a code.
import { useState } from 'react';
import { call } from '../../api/query.js';
import { TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

export function TotpSection() {
  const { t } = useI18n();
  const session = useSession();
  const enabled = !!session.me?.user.totpEnabled;
  const [pending, setPending] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const form = useForm({ code: '' });
  const start = async () => setPending(await call('post', '/me/totp', {}));
  const confirm = async (v: { code: string }) => {
    await session.signedIn(await call('post', '/me/totp/confirm', { body: { code: v.code } }));
    setPending(null);
    form.reset({ code: '' });
  };
  const disable = async (v: { code: string }) => {
    await call('delete', '/me/totp', { body: { code: v.code } });
    await session.refresh();
    form.reset({ code: '' });
  };
  return (
    <Section title={t('totp.title')}>
      <p>{enabled ? t('totp.enabled') : t('totp.disabled')}</p>
      {!enabled && !pending && <button type="button" onClick={start}>{t('totp.start')}</button>}
      {pending && (
        <>
          <SecretOnce label={t('totp.secret')} value={pending.secret} note={t('totp.scan')} />
          <Form form={form} onSubmit={confirm} submitLabel={t('totp.confirm')} label={t('totp.title')}>
            <TextField name="code" label={t('totp.code')} inputMode="numeric" autoComplete="one-time-code" required />
          </Form>
        </>
      )}
      {enabled && (
        <Form form={form} onSubmit={disable} submitLabel={t('totp.disable')} label={t('totp.title')}>
          <TextField name="code" label={t('totp.code')} inputMode="numeric" autoComplete="one-time-code" required />
        </Form>
      )}
    </Section>
  );
}
