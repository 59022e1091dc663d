import { sql, type Kysely } from 'kysely';
import { foldDomain, siteNamesFolded } from '../../names.js';

// Names as people read them, and names proven.
// - Search and sort on the Unicode form, accent- and case-insensitive: the application folds every
//   name once (élan.fr, xn--lan-bma.fr → elan.fr; PostgreSQL cannot decode punycode) into stored
//   columns: zones.name_folded, sites.domain_sort (the default sort), sites.names_folded (domain,
//   aliases, document root), which the trigram-indexed `search` columns include. `q` is folded the
//   same way before it is matched. The sort keys compare byte by byte (COLLATE "C"), the same on
//   every database.
// - Proof of a domain: a zone remembers when and how its customer proved the domain (a TXT token,
//   or the domain's NS at the platform); claims hold the tokens customers are asked to publish.
// - Notices: what a customer (or, with no customer, the staff) must be told, durable and readable.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE zones ADD COLUMN name_folded text COLLATE "C" NOT NULL DEFAULT '';
    ALTER TABLE zones ADD COLUMN proven_at timestamptz;
    ALTER TABLE zones ADD COLUMN proven_by text CHECK (proven_by IN ('txt', 'ns'));
    ALTER TABLE sites ADD COLUMN domain_sort text COLLATE "C" NOT NULL DEFAULT '';
    ALTER TABLE sites ADD COLUMN names_folded text NOT NULL DEFAULT '';
  `.execute(db);
  const zones = await sql<{ id: string; name: string }>`SELECT id, name FROM zones`.execute(db);
  for (const z of zones.rows) await sql`UPDATE zones SET name_folded = ${foldDomain(z.name)} WHERE id = ${z.id}`.execute(db);
  const sites = await sql<{ id: string; domain: string; aliases: string[]; document_root: string }>`SELECT id, domain, aliases, document_root FROM sites`.execute(db);
  for (const s of sites.rows) {
    await sql`UPDATE sites SET domain_sort = ${foldDomain(s.domain)}, names_folded = ${siteNamesFolded(s.domain, s.aliases, s.document_root)} WHERE id = ${s.id}`.execute(db);
  }
  await sql`
    ALTER TABLE zones ADD COLUMN search text NOT NULL GENERATED ALWAYS AS (lower(name || E'\n' || name_folded || E'\n' || dns)) STORED;
    CREATE INDEX zones_search ON zones USING gin (search gin_trgm_ops) WITH (fastupdate = off);
    CREATE INDEX zones_name_folded ON zones (name_folded, id);

    DROP INDEX sites_search;
    ALTER TABLE sites DROP COLUMN search;
    ALTER TABLE sites ADD COLUMN search text NOT NULL GENERATED ALWAYS AS (lower(
      domain || E'\n' || abri_text_array_out(aliases) || E'\n' || document_root || E'\n' ||
      php_version || E'\n' || https_mode || E'\n' || status || E'\n' || names_folded
    )) STORED;
    CREATE INDEX sites_search ON sites USING gin (search gin_trgm_ops) WITH (fastupdate = off);
    CREATE INDEX sites_hosting_domain_sort ON sites (hosting_id, domain_sort, id);

    CREATE TABLE zone_claims (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      token text NOT NULL,
      dns text NOT NULL DEFAULT 'managed' CHECK (dns IN ('managed', 'external')),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified')),
      method text CHECK (method IN ('txt', 'ns')),
      created_at timestamptz NOT NULL DEFAULT now(),
      verified_at timestamptz,
      UNIQUE (name, customer_id)
    );
    CREATE INDEX zone_claims_customer ON zone_claims (customer_id, created_at, id);

    CREATE TABLE notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid REFERENCES customers(id) ON DELETE CASCADE,
      kind text NOT NULL,
      message text NOT NULL,
      params jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      read_by text
    );
    CREATE INDEX notices_customer ON notices (customer_id, created_at, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE notices, zone_claims;
    DROP INDEX sites_hosting_domain_sort;
    DROP INDEX sites_search;
    ALTER TABLE sites DROP COLUMN search;
    ALTER TABLE sites ADD COLUMN search text NOT NULL GENERATED ALWAYS AS (lower(
      domain || E'\n' || abri_text_array_out(aliases) || E'\n' || document_root || E'\n' ||
      php_version || E'\n' || https_mode || E'\n' || status
    )) STORED;
    CREATE INDEX sites_search ON sites USING gin (search gin_trgm_ops) WITH (fastupdate = off);
    ALTER TABLE sites DROP COLUMN names_folded, DROP COLUMN domain_sort;
    DROP INDEX zones_name_folded;
    DROP INDEX zones_search;
    ALTER TABLE zones DROP COLUMN search, DROP COLUMN proven_by, DROP COLUMN proven_at, DROP COLUMN name_folded;
  `.execute(db);
}
