// Creating a scheduled task: the command, its schedule (crontab, UTC) and its time limit (at most the
// offer's cronMaxRunSeconds; 300 s by default, or that bound when lower).
import type { Hosting } from '../../api/model.js';
import { useOffers } from '../../api/offers.js';
import { change } from '../../api/query.js';
import { TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';

export function CronTaskForm({ hosting }: { hosting: Hosting }) {
  const { t } = useI18n();
  const max = useOffers().byId(hosting.offerId)?.cronMaxRunSeconds ?? 3600;
  const empty = { command: '', schedule: '', timeLimit: String(Math.min(300, max)) };
  const form = useForm(empty);
  const create = async (v: typeof empty) => {
    await change('post', '/hostings/{id}/cron-tasks', { path: { id: hosting.id }, body: { command: v.command, schedule: v.schedule, timeLimit: Number(v.timeLimit) } });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('cron.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('cron.createSubmit')} label={t('cron.create')}>
        <TextField name="command" label={t('cron.command')} required hint={t('cron.commandHint')} />
        <TextField name="schedule" label={t('cron.schedule')} required hint={t('cron.scheduleHint')} placeholder="*/15 * * * *" />
        <TextField name="timeLimit" label={t('cron.timeLimit')} inputMode="numeric" hint={t('cron.timeLimitHint', { max })} />
      </Form>
    </>
  );
}
