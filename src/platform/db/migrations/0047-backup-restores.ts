import { sql, type Kysely } from 'kysely';

// Restores from off-server backups and their health checks (issue 13). A restore from a backup is
// tracked like one from a snapshot, in the same table: `source` says which (`backup`: `snapshot` is
// the restic snapshot's id, done by the hosting's web server with the repository's key). A
// repository's periodic `restic check --read-data-subset=<n>/<N>`: how many were asked for (the
// weekly job, or staff now), the subset the last request named, and how the last one went.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE snapshot_restores
      ADD COLUMN source text NOT NULL DEFAULT 'snapshot' CHECK (source IN ('snapshot', 'backup'));
    ALTER TABLE backup_repositories
      ADD COLUMN check_requests integer NOT NULL DEFAULT 0,
      ADD COLUMN check_subset text NOT NULL DEFAULT '1/10' CHECK (check_subset ~ '^[0-9]{1,3}/[0-9]{1,3}$'),
      ADD COLUMN last_check_at timestamptz,
      ADD COLUMN last_check_ok boolean,
      ADD COLUMN last_check_error text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE backup_repositories DROP COLUMN check_requests, DROP COLUMN check_subset, DROP COLUMN last_check_at, DROP COLUMN last_check_ok, DROP COLUMN last_check_error`.execute(db);
  await sql`ALTER TABLE snapshot_restores DROP COLUMN source`.execute(db);
}
