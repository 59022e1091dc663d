import { sql, type Kysely } from 'kysely';

// Per-site PHP settings (src/hosting/model-php.ts) and the offer's bounds on them. A site's settings
// are a JSON object of the keys its customer chose (absent keys take the defaults); they are sent to
// its web server with the site, whose row is already stamped (revision_stamps lists sites since
// 0009, its trigger is 0012's): no new stamped table, no new seal.
// The offer already bounds memory_limit (php_memory_mb, 0003); it now bounds upload_max_filesize and
// post_max_size (php_upload_max_mb) and max_execution_time (php_max_execution_seconds).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offers ADD COLUMN php_upload_max_mb integer NOT NULL DEFAULT 64 CHECK (php_upload_max_mb BETWEEN 1 AND 16384);
    ALTER TABLE offers ADD COLUMN php_max_execution_seconds integer NOT NULL DEFAULT 300 CHECK (php_max_execution_seconds BETWEEN 1 AND 3600);
    ALTER TABLE sites ADD COLUMN php_settings jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(php_settings) = 'object');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE sites DROP COLUMN php_settings;
    ALTER TABLE offers DROP COLUMN php_upload_max_mb, DROP COLUMN php_max_execution_seconds;
  `.execute(db);
}
