// Opening the web database admin (Adminer) as a database user without typing its password. The
// customer asks for a ticket (it may manage the user's hosting); the browser posts it to Adminer;
// Adminer's sign-on plugin exchanges it here, server to server with the service key, for where to
// connect and the user's console password: a second password of the same MariaDB account that only
// the database admin ever holds. The customer's own password is never kept, so it is never handed
// over; the console password never reaches a browser.
import type { AppContext } from '../platform/context.js';
import { customerScope, systemCaller, type Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { findHosting } from '../hosting/store-hostings.js';
import { hostingSubject } from '../hosting/rules.js';
import { hostOf } from './model.js';
import { authString } from './rules.js';
import { nonceDigest, sameServiceKey, signTicket, verifyTicket } from './rules-dbadmin.js';
import { consoleOf, consumeTicket, insertTicket, setConsole } from './store-dbadmin.js';
import { findDatabaseUser } from './store-users.js';
import { databasesChanged } from './operations-placement.js';
import { newPassword } from './operations-users.js';

const ticketKey = (app: AppContext) => app.secrets().derive('dbadmin-ticket');

/** The user's console password (made and sent to its server the first time: that change is stamped like a password reset). */
async function ensureConsole(c: Change, user: { id: string; name: string; hostingId: string; serverId: string }) {
  const have = await consoleOf(c.db, user.id);
  if (have.consoleSecret) return;
  const password = newPassword();
  await setConsole(c.db, user.id, c.app.secrets().seal(password), authString(password));
  await databasesChanged(c, { id: user.hostingId }, user.serverId, `database user ${user.name}: the database admin's console password`);
}

/** A ticket that opens the database admin as this user, for a minute, once. */
export function issueDbadminTicket(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const user = await findDatabaseUser(c.db, ref, customerScope(caller.actor));
    const hosting = await findHosting(c.db, user.hostingId);
    c.may(hostingSubject(hosting, 'database_user'), 'manage');
    if (!app.config.dbadmin.url || !app.config.dbadmin.key) {
      throw new AppError('dbadmin.not_configured', 'this platform has no web database admin (ABRI_DBADMIN_URL and ABRI_DBADMIN_KEY)');
    }
    await ensureConsole(c, user);
    const { ticket, claims } = signTicket(ticketKey(app), user.id, c.now);
    await insertTicket(c.db, { nonceDigest: nonceDigest(claims.nonce), userId: user.id, expiresAt: claims.expiresAt, now: c.now });
    await c.audit({ action: 'database_user.dbadmin_ticket', targetType: 'database_user', targetId: user.id, target: user.name, customerId: hosting.customerId });
    return { url: app.config.dbadmin.url, ticket, expiresAt: claims.expiresAt.toISOString() };
  });
}

/**
 * The database admin's exchange: a valid, unexpired, unused ticket (used by this call) and the
 * service key give the server, port, user and console password. Anything else is one refusal.
 */
export function exchangeDbadminTicket(app: AppContext, address: string, serviceKey: string | undefined, ticket: string) {
  return change(app, { ...systemCaller('dbadmin'), address }, async (c) => {
    c.anyone();
    if (!sameServiceKey(app.config.dbadmin.key, serviceKey)) throw new AppError('dbadmin.ticket_refused', 'not the database admin\'s service key');
    const claims = verifyTicket(ticketKey(app), ticket, c.now);
    if (!claims || !(await consumeTicket(c.db, nonceDigest(claims.nonce), claims.userId, c.now))) {
      throw new AppError('dbadmin.ticket_refused', 'this ticket is unknown, expired or already used: open the database admin again from Abri');
    }
    const user = await findDatabaseUser(c.db, claims.userId);
    const hosting = await findHosting(c.db, user.hostingId);
    const { consoleSecret } = await consoleOf(c.db, user.id);
    if (hosting.status !== 'active' || !consoleSecret) throw new AppError('dbadmin.ticket_refused', 'this user cannot sign in now (its hosting is not active)');
    await c.audit({ action: 'database_user.dbadmin_open', targetType: 'database_user', targetId: user.id, target: user.name, customerId: hosting.customerId });
    return { host: hostOf(user), port: app.config.databasePort, user: user.name, password: app.secrets().open(consoleSecret), databases: user.databases };
  });
}
