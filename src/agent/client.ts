// How an agent reaches the manager: over HTTP (remote servers), or by direct calls (the agent
// that `abri serve` runs for its own machine).
import type { AppContext } from '../platform/context.js';
import { certificateBundle } from '../certs/store.js';
import { agentReport, cronRunReport, desiredState, type AgentReport, type CertificateBundle, type CronRunReport, type DesiredState } from '../node/protocol.js';
import { recordCronRuns } from '../cron/store.js';
import { KEPT_RUNS } from '../cron/rules-tasks.js';
import { buildDesiredState, recordReport, touchServer } from './store.js';
import { waitForChange } from './changes.js';
import { recordDatabaseUsage } from '../databases/operations-usage.js';
import { recordDiskUsage } from '../hosting/store-disk.js';
import { agentAnswer, agentQuery, type AgentAnswer, type AgentQuery } from '../node/query.js';
import { recordAnswer, waitForQueries } from '../servers/queries.js';
import { backupRunReport, partRestoreReport, type BackupRunReport, type PartRestoreReport } from '../node/protocol-backups.js';
import { recordPartRestoreReports, recordServerBackupRuns } from '../backups/store-parts.js';
import { restoreReport, type RestoreReport } from '../node/protocol-snapshots.js';
import { recordRestoreReports } from '../snapshots/store-restores.js';
import { worksPageBundle, type WorksPageBundle } from '../node/protocol-works.js';
import { statusServerPage } from '../works/store-publish.js';

export interface ManagerLink {
  /** the desired state if a revision newer than `since` exists (waiting up to waitMs), else null */
  fetch(since: number | null, waitMs: number, signal: AbortSignal): Promise<DesiredState | null>;
  report(report: AgentReport): Promise<void>;
  /** an edge's certificate: PEM of the certificate, its chain and its private key */
  certificate(id: string): Promise<CertificateBundle>;
  /** runs of scheduled tasks, sent as soon as they end (a web server) */
  cronRuns?(runs: CronRunReport[]): Promise<void>;
  /** backups of its hostings, sent as soon as each ends (a web server) */
  backupRuns?(runs: BackupRunReport[]): Promise<void>;
  /** restores of backed-up databases and mailboxes started or finished (a database or mail server) */
  backupRestores?(reports: PartRestoreReport[]): Promise<void>;
  /** restores from snapshots started or finished, sent as soon as they are (a web server) */
  snapshotRestores?(reports: RestoreReport[]): Promise<void>;
  /** the queries the manager asks this server (each handed out once), waiting up to waitMs for one */
  queries?(waitMs: number, signal: AbortSignal): Promise<AgentQuery[]>;
  answer?(id: string, answer: AgentAnswer): Promise<void>;
  /** the public works page (a status server) */
  worksPage?(): Promise<WorksPageBundle>;
}

export class HttpManagerLink implements ManagerLink {
  constructor(private readonly baseUrl: string, private readonly token: string) {}

  private async call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const res = await fetch(this.baseUrl + path, {
      method,
      signal,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) {
      const text = await res.text();
      // a problem document (application/problem+json) says what went wrong in `detail`
      const detail = /json/.test(res.headers.get('content-type') ?? '') ? ((JSON.parse(text) as { detail?: string }).detail ?? text.slice(0, 300)) : text.slice(0, 300);
      throw new Error(`manager answered ${res.status} to ${method} ${path}: ${detail}`);
    }
    return res;
  }

  async fetch(since: number | null, waitMs: number, signal: AbortSignal) {
    const query = since === null ? '' : `since=${since}&wait=${Math.max(1, Math.round(waitMs / 1000))}`;
    const res = await this.call('GET', `/agent/v1/spec?${query}`, undefined, signal);
    if (res.status === 204) return null;
    return desiredState.parse(await res.json());
  }

  async report(report: AgentReport) {
    await this.call('POST', '/agent/v1/report', agentReport.parse(report));
  }

  async cronRuns(runs: CronRunReport[]) {
    await this.call('POST', '/agent/v1/cron-runs', { runs: runs.map((r) => cronRunReport.parse(r)) });
  }

  async backupRuns(runs: BackupRunReport[]) {
    await this.call('POST', '/agent/v1/backup-runs', { runs: runs.map((r) => backupRunReport.parse(r)) });
  }

  async backupRestores(reports: PartRestoreReport[]) {
    await this.call('POST', '/agent/v1/backup-restores', { restores: reports.map((r) => partRestoreReport.parse(r)) });
  }

  async snapshotRestores(reports: RestoreReport[]) {
    await this.call('POST', '/agent/v1/snapshot-restores', { restores: reports.map((r) => restoreReport.parse(r)) });
  }

  async queries(waitMs: number, signal: AbortSignal) {
    const res = await this.call('GET', `/agent/v1/queries?wait=${Math.max(1, Math.round(waitMs / 1000))}`, undefined, signal);
    return agentQuery.array().parse(((await res.json()) as { queries: unknown }).queries);
  }

  async answer(id: string, answer: AgentAnswer) {
    await this.call('POST', `/agent/v1/queries/${encodeURIComponent(id)}/answer`, agentAnswer.parse(answer));
  }

  async certificate(id: string): Promise<CertificateBundle> {
    const res = await this.call('GET', `/agent/v1/certificates/${encodeURIComponent(id)}`);
    return (await res.json()) as CertificateBundle;
  }

  async worksPage(): Promise<WorksPageBundle> {
    return worksPageBundle.parse(await (await this.call('GET', '/agent/v1/works-page')).json());
  }
}

export class LocalManagerLink implements ManagerLink {
  constructor(private readonly app: AppContext, private readonly serverId: string) {}

  async fetch(since: number | null, waitMs: number, signal: AbortSignal) {
    await touchServer(this.app.db, this.serverId);
    if (since !== null && !(await waitForChange(this.app.db, this.serverId, since, waitMs, signal))) return null;
    return buildDesiredState(this.app.db, { ...this.app.config, secrets: this.app.secrets() }, this.serverId);
  }

  async report(report: AgentReport) {
    await recordReport(this.app.db, this.serverId, report);
    await recordDatabaseUsage(this.app, this.serverId, report.usage);
    await recordDiskUsage(this.app.db, this.serverId, report.usage, this.app.clock.now());
  }

  async cronRuns(runs: CronRunReport[]) {
    await recordCronRuns(this.app.db, this.serverId, runs, KEPT_RUNS);
  }

  async backupRuns(runs: BackupRunReport[]) {
    await recordServerBackupRuns(this.app.db, this.serverId, runs);
  }

  async backupRestores(reports: PartRestoreReport[]) {
    await recordPartRestoreReports(this.app.db, this.serverId, reports);
  }

  async snapshotRestores(reports: RestoreReport[]) {
    await recordRestoreReports(this.app.db, this.serverId, reports);
  }

  queries(waitMs: number, signal: AbortSignal) {
    return waitForQueries(this.app, this.serverId, waitMs, signal);
  }

  async answer(id: string, answer: AgentAnswer) {
    await recordAnswer(this.app, this.serverId, id, answer);
  }

  certificate(id: string) {
    return certificateBundle(this.app.db, this.app.secrets(), id);
  }

  worksPage() {
    return statusServerPage(this.app.db, this.serverId);
  }
}
