import { sql, type Kysely } from 'kysely';

// SSH shell access of SFTP users (src/files, src/jail): a user with `shell` signs in to a jailed
// shell (bubblewrap, as the hosting's uid) instead of an SFTP-only chroot; only when the hosting's
// offer has sshAllowed. The table keeps the stamping of 0015-sftp-users (a column changes nothing).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sftp_users ADD COLUMN shell boolean NOT NULL DEFAULT false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sftp_users DROP COLUMN shell`.execute(db);
}
