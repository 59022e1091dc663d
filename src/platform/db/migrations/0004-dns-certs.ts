import { sql, type Kysely } from 'kysely';

// DNS zones and records (PowerDNS), TLS certificates (ACME or uploaded), ACME account and challenges,
// the public addresses of servers (an edge's are published in zones), platform subdomains of sites.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE servers ADD COLUMN public_addresses text[] NOT NULL DEFAULT '{}';
    ALTER TABLE sites ADD COLUMN platform_label text;
    CREATE UNIQUE INDEX sites_platform_label ON sites (platform_label) WHERE platform_label IS NOT NULL;

    CREATE TABLE zones (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      customer_id uuid REFERENCES customers(id) ON DELETE CASCADE,
      dns text NOT NULL DEFAULT 'managed' CHECK (dns IN ('managed', 'external')),
      edge_records boolean NOT NULL DEFAULT true,
      platform boolean NOT NULL DEFAULT false,
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX zones_customer ON zones (customer_id);

    CREATE TABLE dns_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      zone_id uuid NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
      name text NOT NULL,
      type text NOT NULL CHECK (type IN ('A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS')),
      content text NOT NULL,
      ttl integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (zone_id, name, type, content)
    );

    CREATE TABLE certificates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      site_id uuid UNIQUE REFERENCES sites(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('site', 'platform')),
      source text NOT NULL DEFAULT 'acme' CHECK (source IN ('acme', 'custom')),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'valid', 'failing')),
      names text[] NOT NULL DEFAULT '{}',
      problems jsonb NOT NULL DEFAULT '[]',
      issuer text,
      serial text,
      fingerprint text,
      not_before timestamptz,
      not_after timestamptz,
      cert_pem text,
      chain_pem text,
      key_sealed text,
      renew_at timestamptz,
      next_attempt_at timestamptz,
      failures integer NOT NULL DEFAULT 0,
      last_error text,
      last_attempt_at timestamptz,
      lease_until timestamptz,
      revision bigint NOT NULL DEFAULT 0,
      -- not_after for sorting lists by expiry (NOT NULL: none sorts last)
      expiry timestamptz NOT NULL GENERATED ALWAYS AS (coalesce(not_after, 'infinity'::timestamptz)) STORED,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'site') = (site_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX certificates_platform ON certificates (kind) WHERE kind = 'platform';
    CREATE INDEX certificates_due ON certificates (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

    CREATE TABLE acme_accounts (
      directory_url text PRIMARY KEY,
      email text,
      key_sealed text NOT NULL,
      account_url text,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE acme_challenges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('http-01', 'dns-01', 'probe')),
      token text,
      name text NOT NULL,
      value text NOT NULL,
      zone_id uuid REFERENCES zones(id) ON DELETE CASCADE,
      certificate_id uuid REFERENCES certificates(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'dns-01') = (zone_id IS NOT NULL)),
      CHECK ((kind = 'dns-01') = (token IS NULL))
    );
    CREATE UNIQUE INDEX acme_challenges_token ON acme_challenges (token) WHERE token IS NOT NULL;
    CREATE INDEX acme_challenges_zone ON acme_challenges (zone_id) WHERE zone_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE acme_challenges;
    DROP TABLE acme_accounts;
    DROP TABLE certificates;
    DROP TABLE dns_records;
    DROP TABLE zones;
    DROP INDEX sites_platform_label;
    ALTER TABLE sites DROP COLUMN platform_label;
    ALTER TABLE servers DROP COLUMN public_addresses;
  `.execute(db);
}
