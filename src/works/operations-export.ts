// The public works page, exported as static files after each change: a job of the job runner
// (debounced: the changes of a second go out together), run once when the manager starts too.
import type { AppContext } from '../platform/context.js';
import { enqueueJob } from '../jobs/enqueue.js';
import type { JobRegistry } from '../jobs/registry.js';
import { publishDirectory } from './apply-export.js';
import { renderWorksSite, type WorksSiteInput } from './render-site.js';
import { recordOf } from './rules.js';
import { allWorks, historyOf, serverNames } from './store.js';
import { WORKS_EXPORT_JOB } from './operations.js';
import { historyView, workSummary } from './views.js';

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

/** Renders the page and swaps it in at ABRI_WORKS_EXPORT_DIR. */
export async function exportWorksSite(app: AppContext): Promise<number> {
  const dir = app.config.works.exportDir;
  if (!dir) return 0;
  const files = renderWorksSite(await publicSite(app));
  await publishDirectory(dir, files);
  return files.length;
}

/** The export job, and a first export when the manager starts (the page exists before any change). */
export async function registerWorksJobs(registry: JobRegistry, app: AppContext): Promise<void> {
  if (!app.config.works.exportDir) return;
  registry.register({
    kind: WORKS_EXPORT_JOB,
    retryDelaysMs: [5_000, 30_000, 300_000],
    maxAttempts: null,
    concurrency: 1,
    run: async ({ log }) => {
      const n = await exportWorksSite(app);
      log.info({ files: n, dir: app.config.works.exportDir }, 'works page exported');
    },
  });
  await enqueueJob(app.db, { kind: WORKS_EXPORT_JOB, key: 'site', runAt: app.clock.now() }, app.clock.now());
}
