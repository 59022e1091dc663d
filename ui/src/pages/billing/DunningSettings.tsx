// Staff: dunning's settings on the billing settings page — on or off, the days after an invoice's
// payment due date its reminders go out, its hosting is suspended, then terminated.
import type { Answer } from '../../api/query.js';
import { change, useGet } from '../../api/query.js';
import { CheckboxField, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

type Settings = Answer<'/billing/dunning'>;
type Values = { enabled: boolean; reminderDays: string; suspendDay: string; terminateDay: string };

const day = (s: string) => /^\d{1,3}$/.test(s.trim()) && Number(s) >= 1;
const days = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

function check(v: Values) {
  return [
    ...(days(v.reminderDays).every(day) ? [] : [issue('reminderDays', 'form.whole_number')]),
    ...(['suspendDay', 'terminateDay'] as const).filter((k) => !day(v[k])).map((k) => issue(k, 'form.whole_number')),
  ];
}

export function DunningSettings() {
  const answer = useGet('/billing/dunning', {});
  return answer.data ? <DunningForm settings={answer.data} /> : null;
}

function DunningForm({ settings: s }: { settings: Settings }) {
  const { t } = useI18n();
  const form = useForm<Values>({ enabled: s.enabled, reminderDays: s.reminderDays.join(', '), suspendDay: String(s.suspendDay), terminateDay: String(s.terminateDay) }, { validate: check });
  const submit = async (v: Values) => {
    await change('patch', '/billing/dunning', {
      body: { enabled: v.enabled, reminderDays: days(v.reminderDays).map(Number), suspendDay: Number(v.suspendDay), terminateDay: Number(v.terminateDay) },
    });
  };
  return (
    <Section title={t('dunning.settings')}>
      <p className="hint">{t('dunning.settingsExplained')}</p>
      <Form form={form} onSubmit={submit} submitLabel={t('dunning.save')} label={t('dunning.settings')}>
        <CheckboxField name="enabled" label={t('dunning.enabled')} hint={t('dunning.enabledHint')} />
        <TextField name="reminderDays" label={t('dunning.reminderDays')} hint={t('dunning.reminderDaysHint')} />
        <div className="field-row">
          <TextField name="suspendDay" label={t('dunning.suspendDay')} hint={t('dunning.suspendDayHint')} inputMode="numeric" />
          <TextField name="terminateDay" label={t('dunning.terminateDay')} hint={t('dunning.terminateDayHint')} inputMode="numeric" />
        </div>
      </Form>
    </Section>
  );
}
