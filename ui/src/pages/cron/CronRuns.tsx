// The last runs of a scheduled task (the last 20 are kept), newest first, with their output.
import type { CronTask } from '../../api/model.js';
import { useGet } from '../../api/query.js';
import { Loaded, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

export function CronRuns({ task }: { task: CronTask }) {
  const { t, fmt } = useI18n();
  const runs = useGet('/cron-tasks/{id}/runs', { path: { id: task.id } });
  return (
    <Section title={t('cron.runsTitle', { command: task.command })}>
      <Loaded query={runs}>
        {(page) => page.items.length === 0 ? <p className="hint" data-testid="no-runs">{t('cron.noRuns')}</p> : (
          <ol className="cron-runs" data-testid="cron-runs">
            {page.items.map((r) => (
              <li key={r.id}>
                <p><RunResult run={r} /> · {t('cron.endedAt', { when: fmt.dateTime(r.endedAt) })}{r.requested && <> · {t('cron.requested')}</>}</p>
                {r.output ? <pre>{r.output}</pre> : <p className="hint">{t('cron.noOutput')}</p>}
                {r.truncated && <p className="hint">{t('cron.truncated')}</p>}
              </li>
            ))}
          </ol>
        )}
      </Loaded>
    </Section>
  );
}

/** A run's start and how it ended (exit status, killed, over its time limit), with the limit that stopped it. */
export function RunResult({ run }: { run: NonNullable<CronTask['lastRun']> }) {
  const { t, fmt } = useI18n();
  const result = run.timedOut ? t('cron.timedOut') : run.exitCode === null ? t('cron.killed') : t('cron.exit', { code: run.exitCode });
  const why = run.stoppedBy && run.stoppedBy !== 'time_limit' ? <> · <span data-testid="stopped-by">{t(`cron.stoppedBy.${run.stoppedBy}`)}</span></> : null;
  return <span className={run.exitCode === 0 && !why ? undefined : 'badge badge-suspended'}>{fmt.dateTime(run.startedAt)} · {result}{why}</span>;
}
