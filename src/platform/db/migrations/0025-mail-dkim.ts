import { sql, type Kysely } from 'kysely';

// DKIM keys of mail domains (src/mail): one RSA key signs a domain's mail at a time (retired_at
// null); a rotation retires it (retired_at set) and adds a new one under a new selector. Every key
// of a domain is published in DNS (<selector>._domainkey.<domain> TXT) until it is deleted, a
// delay after its retirement (mail signed just before still verifies). The private key is sealed
// with the manager's secret key (SecretBox). Keys are not stamped objects: a change of keys stamps
// the mail domain (its mail server reconciles) and the zones holding it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mail_dkim_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      domain_id uuid NOT NULL REFERENCES mail_domains(id) ON DELETE CASCADE,
      selector text NOT NULL CHECK (selector ~ '^[a-z][a-z0-9-]{0,62}$'),
      private_key text NOT NULL CHECK (private_key LIKE 'v1:%'),
      public_key text NOT NULL CHECK (public_key ~ '^[A-Za-z0-9+/]+=*$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      UNIQUE (domain_id, selector)
    );
    CREATE UNIQUE INDEX mail_dkim_keys_signing ON mail_dkim_keys (domain_id) WHERE retired_at IS NULL;
    CREATE INDEX mail_dkim_keys_retired ON mail_dkim_keys (retired_at) WHERE retired_at IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE mail_dkim_keys`.execute(db);
}
