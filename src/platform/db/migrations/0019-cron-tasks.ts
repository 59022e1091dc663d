import { sql, type Kysely } from 'kysely';
import { openStampTrigger, sealFunction } from './0012-hot-stamps.js';

// Scheduled tasks of hostings (src/cron): a command run in the hosting's jail on its web server at
// the times of a crontab schedule (UTC), killed after its time limit. `run_requests` counts the
// "run now" asked for: the agent runs the task once more each time it sees the count grow. Tasks are
// part of the web server's desired state: stamped like 0015-sftp-users. Their runs are reported by
// the agent and only the last few per task are kept (the output truncated by the agent).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE cron_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      command text NOT NULL CHECK (length(command) BETWEEN 1 AND 4096 AND command !~ '[\r\n]'),
      schedule text NOT NULL CHECK (length(schedule) BETWEEN 1 AND 200),
      time_limit integer NOT NULL CHECK (time_limit BETWEEN 1 AND 3600),
      enabled boolean NOT NULL DEFAULT true,
      run_requests integer NOT NULL DEFAULT 0,
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX cron_tasks_hosting ON cron_tasks (hosting_id);

    CREATE TABLE cron_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      task_id uuid NOT NULL REFERENCES cron_tasks(id) ON DELETE CASCADE,
      started_at timestamptz NOT NULL,
      ended_at timestamptz NOT NULL,
      exit_code integer,
      timed_out boolean NOT NULL DEFAULT false,
      output text NOT NULL DEFAULT '',
      truncated boolean NOT NULL DEFAULT false,
      requested boolean NOT NULL DEFAULT false
    );
    CREATE INDEX cron_runs_task ON cron_runs (task_id, started_at DESC);

    INSERT INTO revision_stamps VALUES ('cron_tasks');
    ALTER TABLE cron_tasks SET (fillfactor = 85);
  `.execute(db);
  await sql.raw(openStampTrigger('cron_tasks')).execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM revision_stamps WHERE table_name = 'cron_tasks';
    DROP TABLE cron_runs, cron_tasks;
  `.execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}
