// A hosting's scheduled tasks tab (/hostings/<name>/cron): how many of its offer's tasks it has, its tasks (schedule, command, time limit,
// next and last run), "run now", enable/disable, removal, the last runs of a task with their output,
// and the form that creates one. Read-only users, and everyone while the hosting cannot be changed,
// see the lists without the actions.
import { useState } from 'react';
import type { CronTask, Hosting } from '../../api/model.js';
import { change } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Section } from '../../components/Page.js';
import { QuotaBar } from '../../components/QuotaBar.js';
import { useI18n } from '../../i18n/i18n.js';
import { CronRuns, RunResult } from './CronRuns.js';
import { CronTaskForm } from './CronTaskForm.js';

export function CronTab({ hosting, writable }: { hosting: Hosting; writable: boolean }) {
  const { t, fmt } = useI18n();
  const list = useList('/hostings/{id}/cron-tasks', { defaultSort: 'createdAt', path: { id: hosting.id } });
  const [shown, setShown] = useState<CronTask | null>(null);
  const columns: Column<CronTask>[] = [
    { id: 'schedule', header: t('cron.schedule'), rowHeader: true, className: 'nowrap', cell: (c) => <code>{c.schedule}</code> },
    { id: 'command', header: t('cron.command'), sort: 'command', className: 'wrap', cell: (c) => <code>{c.command}</code> },
    { id: 'timeLimit', header: t('cron.timeLimit'), cell: (c) => t('cron.seconds', { count: c.timeLimit }) },
    { id: 'next', header: t('cron.next'), cell: (c) => (c.enabled && c.nextRunAt ? fmt.dateTime(c.nextRunAt) : <span className="hint">{t('cron.disabled')}</span>) },
    { id: 'last', header: t('cron.last'), cell: (c) => (c.lastRun ? <RunResult run={c.lastRun} /> : <span className="hint">{t('cron.never')}</span>) },
    {
      id: 'actions', header: t('field.actions'),
      cell: (c) => (
        <div className="row-actions">
          <button type="button" onClick={() => setShown(shown?.id === c.id ? null : c)} aria-label={t('cron.runsFor', { command: c.command })}>{t('cron.runs')}</button>
          {writable && <Act task={c} kind="run" />}
          {writable && <Act task={c} kind={c.enabled ? 'disable' : 'enable'} />}
          {writable && <Remove task={c} onRemoved={() => shown?.id === c.id && setShown(null)} />}
        </div>
      ),
    },
  ];
  return (
    <>
      <Section title={t('cron.title')}>
        <p className="hint">{t('cron.explained')}</p>
        <div className="quotas" data-testid="cron-quota">
          <QuotaBar label={t('quota.cronTasks')} used={hosting.usage.cronTasks.used} max={hosting.usage.cronTasks.max} />
        </div>
        <DataTable list={list} columns={columns} caption={t('cron.title')} rowKey={(c) => c.id} searchLabel={t('cron.search')}
          empty={list.query ? t('table.noMatch') : t('cron.none')} />
        {writable && <CronTaskForm hosting={hosting} />}
      </Section>
      {shown && <CronRuns key={shown.id} task={shown} />}
    </>
  );
}

function Act({ task: c, kind }: { task: CronTask; kind: 'run' | 'enable' | 'disable' }) {
  const { t } = useI18n();
  const act = async () => {
    if (kind === 'run') await change('post', '/cron-tasks/{id}/run', { path: { id: c.id } });
    else await change('patch', '/cron-tasks/{id}', { path: { id: c.id }, body: { enabled: kind === 'enable' } });
  };
  return (
    <ConfirmButton label={t(`cron.${kind}`)} accessibleLabel={t(`cron.${kind}For`, { command: c.command })} title={t(`cron.${kind}Title`, { command: c.command })}
      confirmLabel={t(`cron.${kind}`)} danger={false} onConfirm={act}>
      <p>{t(`cron.${kind}Explained`)}</p>
    </ConfirmButton>
  );
}

function Remove({ task: c, onRemoved }: { task: CronTask; onRemoved(): void }) {
  const { t } = useI18n();
  const remove = async () => {
    await change('delete', '/cron-tasks/{id}', { path: { id: c.id } });
    onRemoved();
  };
  return (
    <ConfirmButton label={t('cron.remove')} accessibleLabel={t('cron.removeFor', { command: c.command })} title={t('cron.removeTitle', { command: c.command })}
      confirmLabel={t('cron.remove')} onConfirm={remove}>
      <p>{t('cron.removeExplained')}</p>
    </ConfirmButton>
  );
}
