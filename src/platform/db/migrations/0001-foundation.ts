import { sql, type Kysely } from 'kysely';

// The manager's foundation: accounts, customers, offers, hostings, sites, servers, audit, revisions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL,
      password_hash text,
      role text NOT NULL CHECK (role IN ('admin', 'staff', 'customer')),
      locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
      disabled boolean NOT NULL DEFAULT false,
      totp_secret text,
      totp_pending text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      address text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);

    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      expires_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX api_tokens_user ON api_tokens (user_id);

    CREATE TABLE invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE login_failures (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX login_failures_key_at ON login_failures (key, at);

    CREATE SEQUENCE customer_number_seq START 1001;
    CREATE TABLE customers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number integer NOT NULL UNIQUE DEFAULT nextval('customer_number_seq'),
      name text NOT NULL,
      contact_email text NOT NULL,
      postal_address text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE delegations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'manager', 'readonly')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (customer_id, user_id)
    );
    CREATE INDEX delegations_user ON delegations (user_id);

    CREATE TABLE offers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      price_cents integer NOT NULL CHECK (price_cents >= 0),
      currency text NOT NULL DEFAULT 'EUR',
      billing_cycle text NOT NULL CHECK (billing_cycle IN ('monthly', 'quarterly', 'yearly')),
      disk_mb integer NOT NULL,
      max_sites integer NOT NULL,
      max_mailboxes integer NOT NULL,
      mail_mb integer NOT NULL,
      max_databases integer NOT NULL,
      database_mb integer NOT NULL,
      max_ftp_users integer NOT NULL,
      ssh_allowed boolean NOT NULL,
      tls_allowed boolean NOT NULL,
      php_versions text[] NOT NULL,
      archived boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX offers_name_key ON offers (lower(name));

    CREATE TABLE servers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      roles text[] NOT NULL,
      addresses text[] NOT NULL DEFAULT '{}',
      agent_token_hash text NOT NULL UNIQUE,
      last_contact_at timestamptz,
      reached_revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE hostings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE RESTRICT,
      offer_id uuid NOT NULL REFERENCES offers(id) ON DELETE RESTRICT,
      server_id uuid REFERENCES servers(id) ON DELETE SET NULL,
      name text NOT NULL UNIQUE,
      uid integer NOT NULL UNIQUE,
      home text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
      php_version text NOT NULL,
      terminated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX hostings_customer ON hostings (customer_id);

    CREATE TABLE sites (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      domain text NOT NULL UNIQUE,
      aliases text[] NOT NULL DEFAULT '{}',
      document_root text NOT NULL,
      php_version text NOT NULL,
      https_mode text NOT NULL CHECK (https_mode IN ('http-only', 'both', 'https-only', 'redirect')),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sites_hosting_domain ON sites (hosting_id, domain, id);
    CREATE INDEX sites_hosting_created ON sites (hosting_id, created_at, id);

    -- every public name (domain or alias) of every site, so uniqueness is enforced platform-wide
    CREATE TABLE site_names (
      name text PRIMARY KEY,
      site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE
    );
    CREATE INDEX site_names_site ON site_names (site_id);

    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid,
      actor text NOT NULL,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text,
      target text,
      customer_id uuid,
      address text,
      before jsonb,
      after jsonb
    );
    CREATE INDEX audit_log_at ON audit_log (at, id);
    CREATE INDEX audit_log_customer ON audit_log (customer_id, at);

    -- the global revision of desired state: one row per committed change, with the servers it affects
    CREATE TABLE revisions (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      server_ids uuid[] NOT NULL DEFAULT '{}'
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE revisions, audit_log, site_names, sites, hostings, servers, offers, delegations,
      customers, login_failures, invitations, api_tokens, sessions, users CASCADE;
    DROP SEQUENCE customer_number_seq;
  `.execute(db);
}
