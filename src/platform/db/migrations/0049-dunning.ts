import { sql, type Kysely } from 'kysely';

// Dunning of unpaid invoices (issue 14, src/billing): its settings (one row, off until staff turn it
// on: invoices issued before payments were recorded all read "unpaid"), its state per invoice (the
// reminders sent, the suspension and termination it caused, a staff pause, why it ended) with a log
// of every step, staff pauses per customer, and the hostings dunning suspended. A hosting that leaves
// the suspended state by any path (staff reactivate it, it is terminated) drops out of the last table
// by a trigger, so a payment only ever lifts a suspension that dunning made and nobody replaced.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dunning_settings (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      enabled boolean NOT NULL DEFAULT false,
      reminder_days integer[] NOT NULL DEFAULT '{7,15}',
      suspend_day integer NOT NULL DEFAULT 30 CHECK (suspend_day BETWEEN 1 AND 730),
      terminate_day integer NOT NULL DEFAULT 60 CHECK (terminate_day BETWEEN 1 AND 730),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (terminate_day > suspend_day)
    );
    INSERT INTO dunning_settings DEFAULT VALUES;

    CREATE TABLE dunning_invoices (
      invoice_id uuid PRIMARY KEY REFERENCES invoices(id),
      customer_id uuid NOT NULL,
      hosting_id uuid,
      reminders integer NOT NULL DEFAULT 0 CHECK (reminders >= 0),
      last_step_on date,
      suspended_at timestamptz,
      terminated_at timestamptz,
      paused_at timestamptz,
      paused_by text,
      pause_note text NOT NULL DEFAULT '',
      ended_at timestamptz,
      ended text CHECK (ended IN ('paid', 'credited')),
      updated_at timestamptz NOT NULL,
      CHECK ((ended IS NULL) = (ended_at IS NULL))
    );
    CREATE INDEX dunning_invoices_customer ON dunning_invoices (customer_id, updated_at DESC);
    CREATE INDEX dunning_invoices_hosting ON dunning_invoices (hosting_id) WHERE ended IS NULL;
    CREATE INDEX dunning_invoices_open ON dunning_invoices (updated_at DESC, invoice_id) WHERE ended IS NULL;

    CREATE TABLE dunning_events (
      id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
      invoice_id uuid NOT NULL REFERENCES invoices(id),
      customer_id uuid NOT NULL,
      hosting_id uuid,
      step text NOT NULL CHECK (step IN ('reminder', 'suspension', 'termination', 'unsuspension', 'paid', 'credited', 'paused', 'resumed')),
      reminder integer,
      days_late integer NOT NULL,
      detail text NOT NULL DEFAULT '',
      done_by text NOT NULL,
      at timestamptz NOT NULL
    );
    CREATE INDEX dunning_events_invoice ON dunning_events (invoice_id, id);

    CREATE TABLE dunning_customer_pauses (
      customer_id uuid PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
      paused_at timestamptz NOT NULL,
      paused_by text NOT NULL,
      note text NOT NULL DEFAULT ''
    );

    CREATE TABLE dunning_suspensions (
      hosting_id uuid PRIMARY KEY REFERENCES hostings(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id),
      suspended_at timestamptz NOT NULL
    );
    CREATE FUNCTION dunning_suspension_ends() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM dunning_suspensions WHERE hosting_id = NEW.id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER dunning_suspension_ends AFTER UPDATE OF status ON hostings FOR EACH ROW
      WHEN (OLD.status = 'suspended' AND NEW.status <> 'suspended') EXECUTE FUNCTION dunning_suspension_ends();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER dunning_suspension_ends ON hostings; DROP FUNCTION dunning_suspension_ends();
    DROP TABLE dunning_suspensions; DROP TABLE dunning_customer_pauses; DROP TABLE dunning_events;
    DROP TABLE dunning_invoices; DROP TABLE dunning_settings;
  `.execute(db);
}
