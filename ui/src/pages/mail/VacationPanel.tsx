// A mailbox's out-of-office reply, opened from its row in the Mail tab: on or off, its subject and
// text, optional first and last days (UTC). Each sender gets it once a period; lists, bounces and
// other automatic replies never do. Switching it off keeps the text; removing forgets it.
import type { Answer } from '../../api/query.js';
import type { Mailbox } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { CheckboxField, TextArea, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

type Vacation = Answer<'/mailboxes/{id}/vacation', 'get'>;

export function VacationPanel({ mailbox, writable, onClose }: { mailbox: Mailbox; writable: boolean; onClose(): void }) {
  const { t } = useI18n();
  const v = useGet('/mailboxes/{id}/vacation', { path: { id: mailbox.id } }).data;
  return (
    <Section title={t('vacation.title', { address: mailbox.address })}>
      <p className="hint" data-testid="vacation-state">
        {!v ? t('vacation.loading') : !v.subject ? t('vacation.none') : v.enabled ? t('vacation.on', { days: v.days }) : t('vacation.off')}
      </p>
      {v && writable && <VacationForm key={v.updatedAt ?? 'none'} mailbox={mailbox} v={v} />}
      {v && !writable && v.subject && <blockquote><strong>{v.subject}</strong><p style={{ whiteSpace: 'pre-wrap' }}>{v.message}</p></blockquote>}
      <div className="row-actions">
        {writable && v?.subject && <button type="button" className="secondary" onClick={() => void change('delete', '/mailboxes/{id}/vacation', { path: { id: mailbox.id } })}>{t('vacation.remove')}</button>}
        <button type="button" className="secondary" onClick={onClose}>{t('vacation.close')}</button>
      </div>
    </Section>
  );
}

/** The form, filled with what is saved (mounted again when that changes). */
function VacationForm({ mailbox, v }: { mailbox: Mailbox; v: Vacation }) {
  const { t } = useI18n();
  const initial = { enabled: v.subject ? v.enabled : true, subject: v.subject, message: v.message, startsOn: v.startsOn ?? '', endsOn: v.endsOn ?? '' };
  const form = useForm(initial, {
    validate: (x) => [
      ...(x.subject.trim() && x.subject.length <= 200 && !CONTROL.test(x.subject) && !/[\r\n\t]/.test(x.subject) ? [] : [issue('subject', 'form.vacation_subject')]),
      ...(x.message.trim() && x.message.length <= 5000 && !CONTROL.test(x.message) && !x.message.includes('\t') ? [] : [issue('message', 'form.vacation_message')]),
      ...[['startsOn', x.startsOn], ['endsOn', x.endsOn]].flatMap(([k, d]) => (d === '' || DAY.test(d!) ? [] : [issue(k!, 'form.vacation_day')])),
    ],
  });
  const save = async (x: typeof initial) => {
    await change('put', '/mailboxes/{id}/vacation', {
      path: { id: mailbox.id },
      body: { enabled: x.enabled, subject: x.subject.trim(), message: x.message, startsOn: x.startsOn || null, endsOn: x.endsOn || null },
    });
  };
  return (
    <Form form={form} onSubmit={save} submitLabel={t('vacation.save')} label={t('vacation.title', { address: mailbox.address })}>
      <CheckboxField name="enabled" label={t('vacation.enabled')} hint={t('vacation.enabledHint', { days: v.days })} />
      <TextField name="subject" label={t('vacation.subject')} required />
      <TextArea name="message" label={t('vacation.message')} rows={6} required hint={t('vacation.messageHint')} />
      <TextField name="startsOn" label={t('vacation.startsOn')} type="date" hint={t('vacation.dayHint')} />
      <TextField name="endsOn" label={t('vacation.endsOn')} type="date" hint={t('vacation.dayHint')} />
    </Form>
  );
}
