// The renewal job ("billing.renewals", every hour, by the Clock): first, the hostings whose service
// ends that day are terminated (operations-end.ts); then, once the seller's settings allow
// invoices, every live hosting becomes a service (due the day it is first seen), each service gets
// its renewal invoice `renewalDays` before its due date, and a due date that has come moves to the
// end of the invoiced period. Each invoice is its own change: one that fails (logged, retried at the
// next run) stops no other. A service ending on or before its due date is not renewed. Running twice
// issues nothing twice: a period with an invoice (credited or not) is never invoiced again by the
// job, and the hosting row locked by the issue serialises it with staff issuing by hand.
import type { AppContext } from '../platform/context.js';
import { systemCaller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { dayOf, renewalDay, sellerMissing } from './rules.js';
import { sellerReady, serviceDraft, writeDocument } from './operations-issue.js';
import { anyInvoiceOfPeriod } from './store-invoices.js';
import { readSeller } from './store-settings.js';
import { findService, rollDueDates, servicesToRenew, startServices } from './store-services.js';
import { runEndings } from './operations-end.js';

export const RENEWAL_JOB = 'billing.renewals';
const caller = systemCaller('billing');
const BATCH = 200;

/** Issues the renewal invoice of one service if it is still due; answers its number, or null. */
export function renewService(app: AppContext, hostingId: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const svc = await findService(c.db, hostingId, null, { lock: true });
    const seller = await sellerReady(c);
    const today = dayOf(c.now);
    const ends = svc.endsOn !== null && svc.dueDate !== null && svc.endsOn <= svc.dueDate; // a service ending is not renewed
    const due = svc.hostingStatus !== 'terminated' && !ends && svc.priceCents > 0 && svc.dueDate !== null && renewalDay(svc.dueDate, seller.renewalDays) <= today;
    if (!due || (await anyInvoiceOfPeriod(c.db, svc.hostingId, svc.dueDate!))) {
      c.nothingToAudit();
      return null;
    }
    return (await writeDocument(c, await serviceDraft(c, seller, svc, 'invoice'))).number;
  });
}

export async function runRenewals(app: AppContext, ctx: Pick<JobContext, 'now' | 'log'>): Promise<{ issued: string[]; failed: number }> {
  const today = dayOf(ctx.now);
  // services ending today (or before, if the job could not run) are terminated, billing set up or not
  const endings = await runEndings(app, caller, today, ctx.log);
  const seller = await readSeller(app.db);
  if (sellerMissing(seller).length) return { issued: [], failed: endings.failed }; // billing is not set up
  await change(app, caller, async (c) => {
    c.staffOnly();
    const started = await startServices(c.db, today, c.now);
    const rolled = await rollDueDates(c.db, today, c.now);
    if (started || rolled) await c.audit({ action: 'billing.renewals', targetType: 'service', target: today, after: { started, rolled } });
    else c.nothingToAudit();
  });
  const issued: string[] = [];
  // services issued leave the query's answer; those declined or failed stay, and are skipped
  const skipped = new Set<string>();
  let failed = endings.failed;
  for (;;) {
    const batch = (await servicesToRenew(app.db, today, seller.renewalDays, BATCH + skipped.size)).filter((id) => !skipped.has(id));
    if (!batch.length) break;
    for (const id of batch) {
      try {
        const number = await renewService(app, id);
        if (number) issued.push(number);
        else skipped.add(id);
      } catch (e) {
        failed++;
        skipped.add(id);
        ctx.log.error({ err: e, hostingId: id }, 'renewal invoice not issued');
      }
    }
  }
  if (issued.length) ctx.log.info({ count: issued.length, first: issued[0], last: issued.at(-1) }, 'renewal invoices issued');
  return { issued, failed };
}

export function registerBillingJobs(registry: JobRegistry, app: AppContext): void {
  registry.register({
    kind: RENEWAL_JOB, recurring: 'every 1h', retryDelaysMs: [60_000, 600_000, 3_600_000], maxAttempts: null, concurrency: 1,
    run: async (ctx): Promise<JobOutcome> => {
      const { failed } = await runRenewals(app, ctx);
      if (failed) return { failed: `${failed} renewal invoice(s) not issued: see the manager's log` };
    },
  });
}
