// Staff: the platform's read-only mode (/staff/read-only). Everyone on the staff sees whether it is on
// and its message; administrators switch it on (now or from a time) with a message in French and
// English, change that message, and switch it off.
import { useReadOnly } from '../../api/read-only.js';
import { change } from '../../api/query.js';
import { Notice } from '../../components/Notice.js';
import { Page, Section } from '../../components/Page.js';
import { Form, issue, useForm } from '../../components/form.js';
import { TextArea, TextField } from '../../components/fields.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { isoOrRaw } from '../works/WorksPage.js';

type Mode = NonNullable<ReturnType<typeof useReadOnly>>;

function State({ mode }: { mode: Mode }) {
  const { t, fmt } = useI18n();
  const state = mode.active ? t('readOnly.state.active', { since: fmt.dateTime(mode.startsAt ?? mode.changedAt) })
    : mode.enabled ? t('readOnly.state.scheduled', { at: fmt.dateTime(mode.startsAt) }) : t('readOnly.state.off');
  return (
    <dl className="facts" data-testid="read-only-state">
      <dt>{t('field.status')}</dt>
      <dd>{state}</dd>
      {mode.changedAt && (
        <>
          <dt>{t('readOnly.changed')}</dt>
          <dd>{mode.changedBy ? t('readOnly.changedBy', { at: fmt.dateTime(mode.changedAt), who: mode.changedBy }) : fmt.dateTime(mode.changedAt)}</dd>
        </>
      )}
    </dl>
  );
}

function Switch({ mode }: { mode: Mode }) {
  const { t } = useI18n();
  const initial = { messageFr: mode.message.fr, messageEn: mode.message.en, startsAt: mode.enabled && !mode.active ? mode.startsAt ?? '' : '' };
  const form = useForm(initial, {
    validate: (v) => [...(!v.messageFr.trim() ? [issue('messageFr', 'required')] : []), ...(!v.messageEn.trim() ? [issue('messageEn', 'required')] : [])],
    fieldOf: (f) => (f === 'message' ? 'messageFr' : f === 'startsAt' ? 'startsAt' : undefined),
  });
  const switchOn = async (v: typeof initial) => {
    await change('put', '/platform/read-only', { body: { enabled: true, message: { fr: v.messageFr, en: v.messageEn }, startsAt: isoOrRaw(v.startsAt) ?? null } });
  };
  const switchOff = async () => {
    await change('put', '/platform/read-only', { body: { enabled: false } });
  };
  return (
    <Form form={form} onSubmit={switchOn} submitLabel={mode.enabled ? t('readOnly.save') : t('readOnly.switchOn')} label={t('readOnly.title')}
      actions={mode.enabled ? (
        <ConfirmButton label={t('readOnly.switchOff')} title={t('readOnly.switchOff')} confirmLabel={t('readOnly.switchOff')} onConfirm={switchOff}>
          {t('readOnly.switchOffExplained')}
        </ConfirmButton>
      ) : undefined}>
      <TextArea name="messageFr" label={t('readOnly.messageFr')} hint={t('readOnly.messageHint')} rows={3} required />
      <TextArea name="messageEn" label={t('readOnly.messageEn')} hint={t('readOnly.messageHint')} rows={3} required />
      <TextField name="startsAt" label={t('readOnly.startsAt')} hint={t('readOnly.startsAtHint')} />
    </Form>
  );
}

export function ReadOnlyPage() {
  const { t } = useI18n();
  const session = useSession();
  const mode = useReadOnly();
  const admin = session.me?.user.role === 'admin';
  return (
    <Page title={t('readOnly.title')}>
      <p className="hint">{t('readOnly.explained')}</p>
      {mode && <State mode={mode} />}
      <Section title={mode?.enabled ? t('readOnly.change') : t('readOnly.switchOn')}>
        {!admin ? <Notice>{t('readOnly.adminsOnly')}</Notice> : mode ? <Switch key={`${mode.enabled}-${mode.changedAt}`} mode={mode} /> : null}
      </Section>
    </Page>
  );
}
