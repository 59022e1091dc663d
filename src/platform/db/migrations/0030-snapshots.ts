import { sql, type Kysely } from 'kysely';

// Snapshots of the hostings' homes (issue 13): how many of each kind the web server keeps, per offer
// (hourly, daily at 05:00, weekly on Sunday at 07:00, monthly on the 1st at 08:00, UTC; 0: none of
// that kind). Existing offers get the defaults of src/offers/model.ts: 6 hourly, 7 daily, 4 weekly, 3 monthly.
// A hosting's snapshot_requests counts the snapshots asked for on demand ("manual"): its web server
// takes one when the count grows (as a scheduled task's run_requests).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offers
      ADD COLUMN snapshots_hourly integer NOT NULL DEFAULT 6 CHECK (snapshots_hourly BETWEEN 0 AND 48),
      ADD COLUMN snapshots_daily integer NOT NULL DEFAULT 7 CHECK (snapshots_daily BETWEEN 0 AND 31),
      ADD COLUMN snapshots_weekly integer NOT NULL DEFAULT 4 CHECK (snapshots_weekly BETWEEN 0 AND 12),
      ADD COLUMN snapshots_monthly integer NOT NULL DEFAULT 3 CHECK (snapshots_monthly BETWEEN 0 AND 24);
    ALTER TABLE hostings ADD COLUMN snapshot_requests integer NOT NULL DEFAULT 0;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE hostings DROP COLUMN snapshot_requests`.execute(db);
  await sql`ALTER TABLE offers DROP COLUMN snapshots_hourly, DROP COLUMN snapshots_daily, DROP COLUMN snapshots_weekly, DROP COLUMN snapshots_monthly`.execute(db);
}
