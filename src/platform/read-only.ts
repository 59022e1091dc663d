// The platform's read-only mode, decided once, in change() (src/platform/change.ts): while it is on,
// the platform keeps being read, and its servers keep serving, but its customers change nothing.
//
//   active      when an admin switched it on and its start (if any) has come, by the Clock
//   refused     every change of a customer's user or of an anonymous request (platform.read_only,
//               423, carrying the message in both languages), and every change of the platform
//               itself made for customers (a caller without a duty: the jobs that renew, remind,
//               suspend — the default, so a new job respects the mode without knowing it)
//   let through staff and admin users (they keep running the platform; only admins switch the mode);
//               signing in and out and resetting a password (`signingIn()`); a user's own account
//               (`ownAccount()`: language, password, two-factor, own API tokens); the platform's
//               upkeep (certificate renewals, measures, published settings: duty 'upkeep') and its
//               console (the local `abri` commands: duty 'console')
//
// Reads never go through change(), so they are never refused; nor is the agent protocol.
import { isStaff, type Caller } from './actor.js';
import { AppError, defineErrors } from './errors.js';

export interface ReadOnlyMode {
  enabled: boolean;
  message: { fr: string; en: string };
  /** when it starts (null: as soon as it is switched on) */
  startsAt: Date | null;
  changedAt: Date | null;
  changedBy: string | null;
}

export const writableMode: ReadOnlyMode = { enabled: false, message: { fr: '', en: '' }, startsAt: null, changedAt: null, changedBy: null };

export const readOnlyErrors = defineErrors({ 'platform.read_only': 'locked' });

/** Whether the platform is read-only at `now`. */
export const readOnlyAt = (mode: ReadOnlyMode, now: Date) => mode.enabled && (!mode.startsAt || mode.startsAt.getTime() <= now.getTime());

/** Whether the mode holds this caller back (customers' users, anonymous requests, the platform's work for customers). */
export const heldByReadOnly = (caller: Caller) => (caller.actor ? !isStaff(caller.actor) : !caller.duty);

/** The refusal of a change while the platform is read-only. */
export function readOnlyRefusal(mode: ReadOnlyMode): AppError {
  const since = mode.startsAt ?? mode.changedAt;
  return new AppError('platform.read_only', `the platform is read-only: ${mode.message.en || 'nothing can be changed for now'}`, {
    params: { messageFr: mode.message.fr, messageEn: mode.message.en, since: since ? since.toISOString() : null },
  });
}
