// One way to change state. Every operation (from a route, a CLI command, a controller or a job)
// runs inside `change()`, which owns the transaction, the authorization decision, the audit
// entries and the revision bump:
//
//   return change(app, caller, async (c) => {
//     const site = await findSite(c.db, ref);
//     c.may(siteSubject(site), 'manage');          // decides, or throws (404, 403, 409 read-only)
//     ...stores...
//     await c.audit({ action: 'site.update', ... });
//     await c.bump('site changed', servers);       // one revision per change, however many calls
//     return view;
//   });
//
// A change that decided nothing, or wrote state without an audit entry, fails instead of
// committing: forgetting authorization is a crash in tests, not a hole in production.
//
// The platform's read-only mode (platform/read-only.ts) is decided here too, with the authorization:
// `may(…, 'manage' | 'own')`, `staffOnly`, `adminOnly` and `anyone` refuse a held caller while the
// platform is read-only; `ownAccount` and `signingIn` do not.
import type { AppContext } from './context.js';
import type { Caller } from './actor.js';
import type { Db } from './db/database.js';
import { assertAdmin, assertStaff } from './actor.js';
import { decide, type Need, type Subject } from './policy.js';
import { heldByReadOnly, readOnlyAt, readOnlyRefusal, writableMode, type ReadOnlyMode } from './read-only.js';
import { readOnlyMode } from './store-read-only.js';
import { openedChange } from './when-committed.js';
import { auditRow, recordAuditRows, type AuditEntry, type AuditRow } from './store-audit.js';
import { bumpRevision, stampRevision, widenRevision, type ServerIds, type Stamp } from './store-revision.js';

export class Change {
  private decided = false;
  private audited = false;
  private revisionId: number | null = null;
  /** audit entries not written yet: they go with the revision, or before the commit */
  private pendingAudit: AuditRow[] = [];
  /** work to run after the commit (never side effects inside the transaction) */
  readonly afterCommit: Array<() => void> = [];

  constructor(
    readonly db: Db,
    readonly app: AppContext,
    readonly caller: Caller,
    /** the time of the change, read once from the clock */
    readonly now: Date,
    /** the platform's read-only mode when the change began */
    private readonly mode: ReadOnlyMode = writableMode,
  ) {}

  /** Refuses the change while the platform is read-only, unless the caller goes on (staff, upkeep, console). */
  private writable(): void {
    if (readOnlyAt(this.mode, this.now) && heldByReadOnly(this.caller)) throw readOnlyRefusal(this.mode);
  }

  get actor() {
    return this.caller.actor;
  }

  /** Decides whether the caller may do `need` on the subject (throws not found / forbidden / read-only). */
  may(subject: Subject, need: Need): void {
    decide(this.caller.actor, subject, need);
    if (need !== 'read') this.writable();
    this.decided = true;
  }

  /** Only the platform's staff (or the platform itself) may do this. */
  staffOnly(): void {
    assertStaff(this.caller.actor);
    this.writable();
    this.decided = true;
  }

  /** Only administrators (or the platform itself) may do this. */
  adminOnly(): void {
    assertAdmin(this.caller.actor);
    this.writable();
    this.decided = true;
  }

  /** The change concerns only the caller's own account (their password, tokens, language); also while read-only. */
  ownAccount(): void {
    this.decided = true;
  }

  /** No authorization applies (an anonymous request such as accepting an invitation). */
  anyone(): void {
    this.writable();
    this.decided = true;
  }

  /** No authorization applies, and the change goes on while the platform is read-only: signing in or out, resetting a password. */
  signingIn(): void {
    this.decided = true;
  }

  /** Records an audit entry of this change; it is written in the transaction, with the revision or before the commit. */
  async audit(entry: AuditEntry): Promise<void> {
    this.pendingAudit.push(auditRow(this.caller, entry));
    this.audited = true;
  }

  /** A change with nothing to audit (it wrote nothing, or only bookkeeping). */
  nothingToAudit(): void {
    this.audited = true;
  }

  /**
   * The revision of this change, made on first call and widened to more servers by later calls;
   * objects the servers must apply are stamped with it (`stamps`: by the statement that opens it).
   * The audit entries recorded so far are written by the same statement.
   */
  async bump(reason: string, serverIds: ServerIds, stamps: Stamp[] = []): Promise<number> {
    if (this.revisionId === null) this.revisionId = await bumpRevision(this.db, reason, serverIds, this.pendingAudit.splice(0), stamps);
    else {
      await widenRevision(this.db, this.revisionId, reason, serverIds);
      await stampRevision(this.db, this.revisionId, stamps);
    }
    return this.revisionId;
  }

  get revision(): number | null {
    return this.revisionId;
  }

  /** Writes what is still pending (audit entries recorded after the revision, or in a change without one). */
  async flush(): Promise<void> {
    await recordAuditRows(this.db, this.pendingAudit.splice(0));
  }

  finish(): void {
    if (!this.decided) throw new Error('change(): the operation made no authorization decision (call may, staffOnly, adminOnly, ownAccount or anyone)');
    if (!this.audited) throw new Error('change(): the operation wrote no audit entry (call audit, or nothingToAudit)');
  }
}

export { whenCommitted } from './when-committed.js';

/** Runs an operation in one transaction: authorization, audit and revision are owned by `c`. */
export async function change<T>(app: AppContext, caller: Caller, run: (c: Change) => Promise<T>): Promise<T> {
  let done: Change | null = null;
  const mode = await readOnlyMode(app.db);
  const result = await app.db.transaction().execute(async (trx) => {
    const c = new Change(trx, app, caller, app.clock.now(), mode);
    openedChange(trx, c);
    const out = await run(c);
    await c.flush();
    c.finish();
    done = c;
    return out;
  });
  for (const f of (done as Change | null)?.afterCommit ?? []) f();
  return result;
}

/**
 * A read: no transaction, but the same authorization rule (the caller must be allowed to see
 * what it reads; a read that decides nothing is a bug as well).
 */
export interface Reader {
  db: Db;
  app: AppContext;
  caller: Caller;
  now: Date;
  may(subject: Subject, need?: 'read'): void;
}

export function reader(app: AppContext, caller: Caller): Reader {
  return {
    db: app.db,
    app,
    caller,
    now: app.clock.now(),
    may: (subject) => decide(caller.actor, subject, 'read'),
  };
}

/**
 * Decides as a change's `may()` would (the platform's read-only mode included), before the change:
 * for costly work done outside the transaction (a key pair) that a refused request must not pay
 * for. The change decides again, under its locks.
 */
export async function decideBeforeChange(app: AppContext, caller: Caller, subject: Subject, need: Exclude<Need, 'read'>): Promise<void> {
  decide(caller.actor, subject, need);
  const mode = await readOnlyMode(app.db);
  if (readOnlyAt(mode, app.clock.now()) && heldByReadOnly(caller)) throw readOnlyRefusal(mode);
}
