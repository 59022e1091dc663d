import { sql, type Kysely } from 'kysely';

// The durable job runner's rows (src/jobs). The certificate controller becomes its first user: the
// schedule of each certificate (next attempt, lease) moves from the certificates table into its job.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      key text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}',
      schedule text,
      status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'running', 'done', 'failed')),
      run_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      last_run_at timestamptz,
      lease_owner text,
      lease_until timestamptz,
      -- raised by every enqueue: a run that ends keeps a newer request instead of overwriting it
      generation integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (kind, key)
    );
    CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'scheduled';
    CREATE INDEX jobs_leased ON jobs (lease_until) WHERE status = 'running';

    INSERT INTO jobs (kind, key, run_at, attempts, last_error, last_run_at)
      SELECT 'certificate', id::text, next_attempt_at, failures, last_error, last_attempt_at FROM certificates WHERE next_attempt_at IS NOT NULL;
    INSERT INTO jobs (kind, key, status, run_at, attempts, last_error, last_run_at)
      SELECT 'certificate', id::text, 'done', coalesce(last_attempt_at, updated_at), failures, last_error, last_attempt_at FROM certificates WHERE next_attempt_at IS NULL;
    DROP INDEX certificates_due;
    ALTER TABLE certificates DROP COLUMN next_attempt_at, DROP COLUMN lease_until;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE certificates ADD COLUMN next_attempt_at timestamptz, ADD COLUMN lease_until timestamptz;
    UPDATE certificates c SET next_attempt_at = j.run_at FROM jobs j WHERE j.kind = 'certificate' AND j.key = c.id::text AND j.status = 'scheduled';
    CREATE INDEX certificates_due ON certificates (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
    DROP TABLE jobs;
  `.execute(db);
}
