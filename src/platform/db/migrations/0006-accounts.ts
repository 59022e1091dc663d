import { sql, type Kysely } from 'kysely';

// Accounts, after the first outside probe:
// - an invitation is its own row: for a customer (email + role, accepted only through its link, once,
//   before it expires; accepting never binds an account that did not consent), or the activation
//   link of an account staff created without a password (user_id);
// - API tokens remember the address they were last used from;
// - login limiting counts attempts per key in one row (atomic under concurrency), replacing the
//   append-only failure log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE invitations ALTER COLUMN user_id DROP NOT NULL;
    ALTER TABLE invitations
      ADD COLUMN customer_id uuid REFERENCES customers(id) ON DELETE CASCADE,
      ADD COLUMN email text,
      ADD COLUMN role text CHECK (role IN ('owner', 'manager', 'readonly')),
      ADD COLUMN invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN accepted_at timestamptz,
      ADD COLUMN accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN revoked_at timestamptz;
    UPDATE invitations i SET email = u.email FROM users u WHERE u.id = i.user_id;
    DELETE FROM invitations WHERE email IS NULL;
    ALTER TABLE invitations ALTER COLUMN email SET NOT NULL;
    ALTER TABLE invitations ADD CONSTRAINT invitations_kind CHECK (
      (customer_id IS NOT NULL AND role IS NOT NULL AND user_id IS NULL) OR (customer_id IS NULL AND role IS NULL AND user_id IS NOT NULL)
    );
    CREATE INDEX invitations_customer ON invitations (customer_id, created_at) WHERE customer_id IS NOT NULL;

    ALTER TABLE api_tokens ADD COLUMN last_used_address text;

    DROP TABLE login_failures;
    CREATE TABLE login_throttle (
      key text PRIMARY KEY,
      attempts integer NOT NULL,
      last_at timestamptz NOT NULL
    );
    CREATE INDEX login_throttle_last_at ON login_throttle (last_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE login_throttle;
    CREATE TABLE login_failures (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX login_failures_key_at ON login_failures (key, at);
    ALTER TABLE api_tokens DROP COLUMN last_used_address;
    DELETE FROM invitations WHERE user_id IS NULL;
    DROP INDEX invitations_customer;
    ALTER TABLE invitations DROP CONSTRAINT invitations_kind;
    ALTER TABLE invitations DROP COLUMN customer_id, DROP COLUMN email, DROP COLUMN role, DROP COLUMN invited_by,
      DROP COLUMN accepted_at, DROP COLUMN accepted_by, DROP COLUMN revoked_at;
    ALTER TABLE invitations ALTER COLUMN user_id SET NOT NULL;
  `.execute(db);
}
