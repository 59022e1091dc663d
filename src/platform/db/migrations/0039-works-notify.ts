import { sql, type Kysely } from 'kysely';

// Telling people about works (src/works/*notify*): each event of a work's history (announced, plan
// moved, started, ended, an update) is told once to the affected customers' users by e-mail, what
// each user chose to receive (work_notice_preferences, "all" when absent), and to the channels the
// staff configured: signed webhooks and Mastodon accounts (work_channels, their secret sealed with
// the platform's key), one delivery per event and channel (work_deliveries). A message or a delivery
// exists once per event and recipient: outgoing_mail.dedupe_key and UNIQUE (history_id, channel_id)
// make a replayed job insert nothing. Neither table is desired state of a server: not stamped.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE outgoing_mail ADD COLUMN dedupe_key text UNIQUE;

    CREATE TABLE work_notice_preferences (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      receive text NOT NULL CHECK (receive IN ('all', 'incidents', 'none')),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE work_channels (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('webhook', 'mastodon')),
      name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
      url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
      secret_sealed text NOT NULL,
      locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('fr', 'en')),
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE work_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      history_id bigint NOT NULL REFERENCES work_history(id),
      channel_id uuid NOT NULL REFERENCES work_channels(id) ON DELETE CASCADE,
      event text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      response_status integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (history_id, channel_id)
    );
    CREATE INDEX work_deliveries_created ON work_deliveries (created_at DESC, id);
    CREATE INDEX work_deliveries_channel ON work_deliveries (channel_id, created_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE work_deliveries; DROP TABLE work_channels; DROP TABLE work_notice_preferences;
    ALTER TABLE outgoing_mail DROP COLUMN dedupe_key;
  `.execute(db);
}
