import { sql, type Kysely } from 'kysely';

// The space each hosting's home uses, as its web server's agent last measured it (src/hosting/
// store-disk.ts): exact and enforced (a btrfs qgroup limited to the offer's diskMb) or only measured
// (other filesystems: enforced false). A measure, not a decision: no revision, no audit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE hosting_disk_usage (
      hosting_id uuid PRIMARY KEY REFERENCES hostings(id) ON DELETE CASCADE,
      server_id uuid NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
      used_bytes bigint NOT NULL CHECK (used_bytes >= 0),
      enforced boolean NOT NULL,
      measured_at timestamptz NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE hosting_disk_usage`.execute(db);
}
