import { sql, type Kysely } from 'kysely';
import { openStampTrigger, sealFunction } from './0012-hot-stamps.js';

// Mail of hostings (src/mail), served by a server with the mail role (Abri's own Postfix and
// Dovecot). A mail domain is a site domain or alias of its hosting (checked by the operation, under
// the hosting's lock); all of a hosting's mail domains live on one mail server. A mailbox keeps only
// its password's SHA-512 crypt string, and the usage its server last measured (Dovecot's quota).
// Aliases forward one address of a mail domain to one or more addresses. The three are part of the
// mail server's desired state: stamped like 0016-ftp-users.
const TABLES = ['mail_domains', 'mailboxes', 'mail_aliases'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mail_domains (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      server_id uuid NOT NULL REFERENCES servers(id),
      name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 3 AND 253 AND name = lower(name)),
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX mail_domains_hosting ON mail_domains (hosting_id);
    CREATE INDEX mail_domains_server ON mail_domains (server_id);

    CREATE TABLE mailboxes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      domain_id uuid NOT NULL REFERENCES mail_domains(id) ON DELETE CASCADE,
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      local_part text NOT NULL CHECK (length(local_part) BETWEEN 1 AND 64 AND local_part = lower(local_part)),
      quota_mb integer NOT NULL CHECK (quota_mb BETWEEN 1 AND 100000000),
      password_hash text NOT NULL CHECK (password_hash ~ '^[$]6[$][./0-9A-Za-z]{1,16}[$][./0-9A-Za-z]{86}$'),
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      enabled boolean NOT NULL DEFAULT true,
      used_bytes bigint,
      measured_at timestamptz,
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (domain_id, local_part)
    );
    CREATE INDEX mailboxes_hosting ON mailboxes (hosting_id);

    CREATE TABLE mail_aliases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      domain_id uuid NOT NULL REFERENCES mail_domains(id) ON DELETE CASCADE,
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      local_part text NOT NULL CHECK (length(local_part) BETWEEN 1 AND 64 AND local_part = lower(local_part)),
      destinations text[] NOT NULL CHECK (cardinality(destinations) BETWEEN 1 AND 50),
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (domain_id, local_part)
    );
    CREATE INDEX mail_aliases_hosting ON mail_aliases (hosting_id);

    INSERT INTO revision_stamps VALUES ('mail_domains'), ('mailboxes'), ('mail_aliases');
    ALTER TABLE mail_domains SET (fillfactor = 85);
    ALTER TABLE mailboxes SET (fillfactor = 85);
    ALTER TABLE mail_aliases SET (fillfactor = 85);
  `.execute(db);
  for (const t of TABLES) await sql.raw(openStampTrigger(t)).execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM revision_stamps WHERE table_name IN ('mail_domains', 'mailboxes', 'mail_aliases');
    DROP TABLE mail_aliases, mailboxes, mail_domains;
  `.execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}
