// PGlite runs no autovacuum: without it, tables never get planner statistics (a hosting with 10,000
// sites is then planned as if it had a few dozen: its list sorts every site instead of walking an
// index), dead rows are never reclaimed and counts cannot use index-only scans. This does what
// autovacuum does, with its default thresholds, on the embedded database only.
import { sql } from 'kysely';
import type { Db } from './database.js';

export interface MaintenancePass {
  vacuumed: string[];
  analyzed: string[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One pass: VACUUM and/or ANALYZE each table that changed enough since the last time. */
export async function maintainPglite(db: Db): Promise<MaintenancePass> {
  // backends publish their counters at most once a second: have them published now
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<{ relname: string; vacuum: boolean; analyze: boolean }>`
    SELECT s.relname,
           s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0)
             OR s.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0) AS vacuum,
           s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS analyze
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.schemaname = 'public'`.execute(db);
  const pass: MaintenancePass = { vacuumed: [], analyzed: [] };
  for (const r of rows) {
    if (!r.vacuum && !r.analyze) continue;
    // VACUUM cannot run in a transaction: a parameterless statement goes through PGlite's simple protocol
    await sql.raw(r.vacuum ? `VACUUM ${r.analyze ? '(ANALYZE) ' : ''}${ident(r.relname)}` : `ANALYZE ${ident(r.relname)}`).execute(db);
    if (r.vacuum) pass.vacuumed.push(r.relname);
    if (r.analyze) pass.analyzed.push(r.relname);
  }
  return pass;
}

/** Runs a pass every `intervalMs` (autovacuum_naptime is one minute); stop() waits for a running pass. */
export function startPgliteMaintenance(db: Db, intervalMs = 60_000, onError: (e: unknown) => void = (e) => process.emitWarning(e as Error)) {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= maintainPglite(db).then(() => undefined, onError).finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
