// The public works page, exported as static files after each change: a job of the job runner
// (debounced: the changes of a second go out together), run once when the manager starts and each
// night (the calendar's "today"). The page is stored (one row) and, when it changed, the servers of
// the `status` role get a new revision (their agents fetch it) and every outside target a push job;
// ABRI_WORKS_EXPORT_DIR, when set, gets it on the manager's own disk too.
import type { AppContext } from '../platform/context.js';
import { systemCaller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { LocalExecutor } from '../platform/executor.js';
import { enqueueJob } from '../jobs/enqueue.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { publishDirectory } from './apply-export.js';
import { pushPage } from './apply-push.js';
import { renderWorksSite, type WorksSiteInput } from './render-site.js';
import { recordOf } from './rules.js';
import { pageDigest } from './rules-publish.js';
import { allWorks, historyOf, serverNames } from './store.js';
import { findTarget, listTargets, recordPush, statusServers, storedPage, storePage } from './store-publish.js';
import { WORKS_EXPORT_JOB } from './operations.js';
import { WORKS_PUSH_JOB } from './operations-targets.js';
import { historyView, workSummary } from './views.js';

const WORKS_NIGHTLY_JOB = 'works.nightly';

/** What the public page shows: every work, its history without its authors, the record. */
export async function publicSite(app: AppContext): Promise<WorksSiteInput> {
  const works = await allWorks(app.db);
  const [names, history] = await Promise.all([serverNames(app.db, [...new Set(works.flatMap((w) => w.affectsServers))]), historyOf(app.db, works.map((w) => w.id))]);
  return {
    title: app.config.works.title,
    publicUrl: app.config.works.publicUrl,
    now: app.clock.now().toISOString(),
    works: works.map((w) => ({ ...workSummary(w, names), history: history.get(w.id)!.map((h) => historyView(h, false)) })),
    record: recordOf(works),
  };
}

/** Renders the page, stores it (a new one goes to the status servers and the targets), and swaps it in at ABRI_WORKS_EXPORT_DIR. */
export async function exportWorksSite(app: AppContext): Promise<{ files: number; changed: boolean }> {
  const files = renderWorksSite(await publicSite(app));
  const page = files.map((f) => ({ path: f.path, content: f.content }));
  const digest = pageDigest(page);
  const changed = await change(app, systemCaller('works'), async (c) => {
    c.staffOnly();
    c.nothingToAudit(); // bookkeeping: the changes of works are audited themselves
    if (!(await storePage(c.db, digest, page, c.now))) return false;
    const servers = await statusServers(c.db);
    if (servers.length) await c.bump('works page published', servers);
    for (const t of await listTargets(c.db)) await enqueueJob(c.db, { kind: WORKS_PUSH_JOB, key: t.id, runAt: c.now }, c.now, c.afterCommit);
    return true;
  });
  if (app.config.works.exportDir) await publishDirectory(app.config.works.exportDir, files);
  return { files: files.length, changed };
}

/** Pushes the stored page to one target; a failure is recorded on the target and retried by the runner. */
async function pushToTarget(app: AppContext, { job, now, log }: JobContext): Promise<JobOutcome> {
  const target = await findTarget(app.db, job.key).catch((e: { code?: string }) => {
    if (e.code === 'work_target.not_found') return null;
    throw e;
  });
  if (!target) return { forget: true };
  const page = await storedPage(app.db);
  if (!page || target.pushedDigest === page.digest) return;
  try {
    await pushPage(new LocalExecutor(), target, app.secrets().open(target.privateKeySealed), page);
  } catch (e) {
    await recordPush(app.db, target.id, { error: (e as Error).message }, now);
    throw e;
  }
  await recordPush(app.db, target.id, { digest: page.digest }, now);
  log.info({ target: target.name, digest: page.digest.slice(0, 12) }, 'works page pushed');
}

/** The export and push jobs, and a first export when the manager starts (the page exists before any change). */
export async function registerWorksJobs(registry: JobRegistry, app: AppContext): Promise<void> {
  registry.register({
    kind: WORKS_EXPORT_JOB,
    retryDelaysMs: [5_000, 30_000, 300_000],
    maxAttempts: null,
    concurrency: 1,
    run: async ({ log }) => {
      const { files, changed } = await exportWorksSite(app);
      log.info({ files, changed, dir: app.config.works.exportDir }, 'works page exported');
    },
  });
  registry.register({ kind: WORKS_PUSH_JOB, retryDelaysMs: [5_000, 30_000, 120_000, 600_000], maxAttempts: null, concurrency: 4, run: (ctx) => pushToTarget(app, ctx) });
  registry.register({
    kind: WORKS_NIGHTLY_JOB, retryDelaysMs: [60_000], maxAttempts: null, recurring: 'at 00:01 UTC',
    run: async ({ now }) => enqueueJob(app.db, { kind: WORKS_EXPORT_JOB, key: 'site', runAt: now }, now),
  });
  await enqueueJob(app.db, { kind: WORKS_EXPORT_JOB, key: 'site', runAt: app.clock.now() }, app.clock.now());
}
