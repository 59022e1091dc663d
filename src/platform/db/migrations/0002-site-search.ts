import { sql, type Kysely } from 'kysely';

// Fast site search (`q` of GET /api/v1/hostings/{id}/sites, fast at 10,000+ sites per hosting).
// ILIKE on six columns lower-cases every value of the hosting on every search (≈ 1 µs each): with
// 10,000 sites that is 60,000 lower() calls, twice (count + page). Instead each site stores the
// lower-cased text of the searched columns, one per line, and q is one LIKE on it, served by a
// trigram index; q shorter than 3 characters scans that column, which needs no lower() either.
// Same result: ILIKE is lower(text) LIKE lower(pattern), and q (no line break) cannot span two lines.
// `aliases::text` (array output) is STABLE for arrays in general, IMMUTABLE for text[]: hence the wrapper.
// fastupdate = off: no GIN pending list, which only (auto)vacuum empties — PGlite never autovacuums —
// and which makes the planner fall back to scanning.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE FUNCTION abri_text_array_out(text[]) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT $1::text $$;
    ALTER TABLE sites ADD COLUMN search text NOT NULL GENERATED ALWAYS AS (lower(
      domain || E'\n' || abri_text_array_out(aliases) || E'\n' || document_root || E'\n' ||
      php_version || E'\n' || https_mode || E'\n' || status
    )) STORED;
    CREATE INDEX sites_search ON sites USING gin (search gin_trgm_ops) WITH (fastupdate = off);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX sites_search;
    ALTER TABLE sites DROP COLUMN search;
    DROP FUNCTION abri_text_array_out(text[]);
  `.execute(db);
}
