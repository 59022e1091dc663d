// Staff: the background jobs (certificates, clean-ups…) — filtered by status and kind, searched,
// sorted by next run — each with its last error and a page of its own where it is run again.
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import type { Job, JobStatus } from '../../api/model.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

export const jobStatuses: JobStatus[] = ['scheduled', 'running', 'done', 'failed'];

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-job-${status}`} data-testid="job-status">{t(`jobStatus.${status}`)}</span>;
}

/** What a job does, in words when the UI knows its kind (else its kind as the API names it). */
export function useJobKind() {
  const { tMaybe } = useI18n();
  return (kind: string) => tMaybe(`jobKind.${kind}`, kind);
}

export function JobsPage() {
  const { t, fmt } = useI18n();
  const kindOf = useJobKind();
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [kindInput, setKindInput] = useState('');
  const [kind, setKind] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setKind(kindInput.trim()), 300);
    return () => clearTimeout(timer);
  }, [kindInput]);
  const list = useList('/jobs', { defaultSort: 'runAt', filters: { status: status || undefined, kind: kind || undefined } });
  const columns: Column<Job>[] = [
    { id: 'status', header: t('field.status'), sort: 'status', cell: (j) => <JobStatusBadge status={j.status} /> },
    {
      id: 'kind', header: t('job.kind'), sort: 'kind', rowHeader: true, className: 'wrap',
      cell: (j) => <><Link to="/staff/jobs/$job" params={{ job: j.id }}>{kindOf(j.kind)}</Link><br /><code className="hint">{j.key}</code></>,
    },
    { id: 'runAt', header: t('job.runAt'), sort: 'runAt', className: 'nowrap', cell: (j) => fmt.dateTime(j.runAt) },
    { id: 'attempts', header: t('job.attempts'), sort: 'attempts', className: 'num', cell: (j) => fmt.number(j.attempts) },
    { id: 'lastError', header: t('job.lastError'), className: 'wrap', cell: (j) => (j.lastError ? <span className="error-text" lang="en">{firstLine(j.lastError)}</span> : '—') },
    { id: 'schedule', header: t('job.schedule'), cell: (j) => (j.schedule ? <code>{j.schedule}</code> : t('job.once')) },
  ];
  const toolbar = (
    <>
      <div className="search filter">
        <label htmlFor="jobs-status">{t('job.statusFilter')}</label>
        <select id="jobs-status" value={status} onChange={(e) => setStatus(e.target.value as JobStatus | '')}>
          <option value="">{t('job.allStatuses')}</option>
          {jobStatuses.map((s) => <option key={s} value={s}>{t(`jobStatus.${s}`)}</option>)}
        </select>
      </div>
      <div className="search filter">
        <label htmlFor="jobs-kind">{t('job.kindFilter')}</label>
        <input id="jobs-kind" type="text" value={kindInput} onChange={(e) => setKindInput(e.target.value)} autoComplete="off" aria-describedby="jobs-kind-hint" />
        <span id="jobs-kind-hint" className="visually-hidden">{t('job.kindFilterHint')}</span>
      </div>
    </>
  );
  return (
    <Page title={t('nav.jobs')}>
      <p className="hint">{t('job.explained')}</p>
      <DataTable list={list} columns={columns} caption={t('nav.jobs')} rowKey={(j) => j.id} searchLabel={t('job.search')} toolbar={toolbar}
        empty={list.query || status || kind ? t('table.noMatch') : t('job.none')} />
    </Page>
  );
}

/** The first line of an error (the whole one is on the job's page). */
export const firstLine = (text: string) => {
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};
