// Staff: one background job (/staff/jobs/<id>) — what it works on, when it runs, its failures in a
// row and last error, its payload — and "Run again now" (not while it runs).
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Job } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { Notice } from '../../components/Notice.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';
import { JobStatusBadge, useJobKind } from './JobsPage.js';

const route = getRouteApi('/staff/jobs/$job');

export function JobPage() {
  const { job } = route.useParams();
  const answer = useGet('/jobs/{id}', { path: { id: job } }, { refetchInterval: (q) => (q.state.data?.status === 'running' ? 2000 : false) });
  return <Loaded query={answer}>{(j) => <JobView job={j} />}</Loaded>;
}

function JobView({ job: j }: { job: Job }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const kindOf = useJobKind();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; phrase: Phrase } | null>(null);
  const retry = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      await change('post', '/jobs/{id}/retry', { path: { id: j.id } });
      setOutcome({ ok: true });
    } catch (e) {
      setOutcome({ ok: false, phrase: problemPhrase(e, i18n) });
    } finally {
      setBusy(false);
    }
  };
  const running = j.status === 'running';
  return (
    <Page title={t('job.title', { kind: kindOf(j.kind) })} crumbs={[<Link to="/staff/jobs" activeOptions={{ exact: true }}>{t('nav.jobs')}</Link>]}
      subtitle={<JobStatusBadge status={j.status} />}
      actions={<button type="button" className="primary" onClick={retry} disabled={busy || running} aria-describedby={running ? 'job-running' : undefined}>{t('job.retry')}</button>}>
      {running && <p id="job-running" className="hint">{t('job.runningNow', { owner: j.leaseOwner ?? '—', until: fmt.dateTime(j.leaseUntil) })}</p>}
      {outcome?.ok && <Notice kind="success"><p>{t('job.retried')}</p></Notice>}
      {outcome && !outcome.ok && <div className="notice notice-error" role="alert"><p><Say phrase={outcome.phrase} /></p></div>}
      <p className="hint">{t(`jobStatus.${j.status}.explained`)}</p>
      <dl className="facts">
        <dt>{t('job.kind')}</dt><dd><code>{j.kind}</code></dd>
        <dt>{t('job.key')}</dt><dd><code>{j.key}</code></dd>
        <dt>{t('job.schedule')}</dt><dd>{j.schedule ? <code>{j.schedule}</code> : t('job.once')}</dd>
        <dt>{j.status === 'scheduled' || j.status === 'running' ? t('job.nextRun') : t('job.runAt')}</dt><dd>{fmt.dateTime(j.runAt)}</dd>
        <dt>{t('job.lastRunAt')}</dt><dd>{j.lastRunAt ? fmt.dateTime(j.lastRunAt) : t('job.neverRun')}</dd>
        <dt>{t('job.attempts')}</dt><dd>{t('job.attemptsInRow', { count: j.attempts })}</dd>
        <dt>{t('field.created')}</dt><dd>{fmt.dateTime(j.createdAt)}</dd>
        <dt>{t('job.updated')}</dt><dd>{fmt.dateTime(j.updatedAt)}</dd>
      </dl>
      <Section title={t('job.lastError')}>
        {j.lastError ? <pre className="job-error" lang="en" data-testid="job-error">{j.lastError}</pre> : <p>{t('job.noError')}</p>}
      </Section>
      <Section title={t('job.payload')}>
        <pre className="job-payload"><code>{JSON.stringify(j.payload, null, 2)}</code></pre>
      </Section>
    </Page>
  );
}
