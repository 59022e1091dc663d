// Switching the platform's read-only mode (admins, or the local console) and reading it (anyone:
// every page shows its message, the login page too). What it refuses is decided in change().
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import { readOnlyMode, saveReadOnlyMode } from '../platform/store-read-only.js';
import { showReadOnly, type ReadOnlyIn } from './model.js';
import './errors.js';

export async function readReadOnly(app: AppContext) {
  return showReadOnly(await readOnlyMode(app.db), app.clock.now());
}

export function switchReadOnly(app: AppContext, caller: Caller, input: ReadOnlyIn) {
  return change(app, caller, async (c) => {
    c.adminOnly();
    const before = await readOnlyMode(c.db);
    const message = input.message ?? before.message;
    if (input.enabled && (!message.fr || !message.en)) {
      throw fieldError('read_only.message_required', 'body.message', 'tell customers why, in French and English, to switch the platform to read-only');
    }
    const startsAt = input.enabled && input.startsAt ? new Date(input.startsAt) : null;
    const changedBy = caller.actor?.email ?? caller.label ?? null;
    await saveReadOnlyMode(c.db, { enabled: input.enabled, message, startsAt, changedBy }, c.now);
    await c.audit({
      action: input.enabled ? 'platform.read_only_on' : 'platform.read_only_off', targetType: 'platform', target: 'read-only mode', customerId: null,
      before: showReadOnly(before, c.now), after: { enabled: input.enabled, message, startsAt: startsAt?.toISOString() ?? null },
    });
    return showReadOnly({ enabled: input.enabled, message, startsAt, changedAt: c.now, changedBy }, c.now);
  });
}
