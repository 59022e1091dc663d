import { sql, type Kysely } from 'kysely';

// Scheduled tasks' limits come from the offer (they were constants of src/cron): how many tasks a
// hosting may have (max_cron_tasks) and the longest time limit a task may set (cron_max_run_seconds).
// Existing offers get the old constants: 20 tasks, 3600 s. A run records which resource limit
// stopped it (stopped_by: its time limit, memory, processes, CPU time or file size), null when none did.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offers ADD COLUMN max_cron_tasks integer NOT NULL DEFAULT 20 CHECK (max_cron_tasks BETWEEN 0 AND 10000);
    ALTER TABLE offers ADD COLUMN cron_max_run_seconds integer NOT NULL DEFAULT 3600 CHECK (cron_max_run_seconds BETWEEN 1 AND 86400);
    ALTER TABLE cron_runs ADD COLUMN stopped_by text CHECK (stopped_by IN ('time_limit', 'memory', 'processes', 'cpu_time', 'file_size'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE cron_runs DROP COLUMN stopped_by;
    ALTER TABLE offers DROP COLUMN max_cron_tasks, DROP COLUMN cron_max_run_seconds;
  `.execute(db);
}
