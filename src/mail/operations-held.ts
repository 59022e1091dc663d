// Held mail (the sending limit, issue 12): staff list the mailboxes whose mail their server holds,
// see a mailbox's held messages, and release them (delivered now, the count forgotten) or delete
// them. The mail server's agent does it (a `mail-held` query, src/mail/apply-mail-held.ts) while the
// request waits; releasing and deleting are audited. Customers see only "sendingHeld" on their mailbox.
import { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { findServer } from '../servers/store.js';
import { askServer } from '../servers/queries.js';
import { mailboxViews } from './operations-shared.js';
import { findMailbox, listHeldMailboxes, recordMailboxHeld } from './store-mailboxes.js';

/** What the agent may answer instead (declared in mail/errors.ts). */
export const HELD_REFUSALS = ['mailbox.not_on_server'] as const;

export const heldMessage = z.object({
  queueId: z.string().describe('Postfix\'s queue id of the message'),
  sender: z.string(),
  recipients: z.array(z.string()),
  arrivedAt: z.string(),
  size: z.number().int().describe('bytes'),
});
export const heldAnswer = z.object({ mailbox: z.string(), messages: z.array(heldMessage) });

export async function listHeld(app: AppContext, caller: Caller) {
  assertStaff(caller.actor);
  const rows = await listHeldMailboxes(app.db);
  return { items: await mailboxViews(app, rows) };
}

async function askHeld(app: AppContext, ref: string, action: 'list' | 'release' | 'delete') {
  const b = await findMailbox(app.db, ref);
  const address = `${b.localPart}@${b.domain}`;
  const answer = z.object({ messages: z.array(heldMessage) }).parse(await askServer(app, await findServer(app.db, b.serverId), 'mail-held', { address, action }, { refusals: HELD_REFUSALS }));
  return { b, address, messages: answer.messages };
}

export async function showHeld(app: AppContext, caller: Caller, ref: string) {
  assertStaff(caller.actor);
  const { address, messages } = await askHeld(app, ref, 'list');
  return { mailbox: address, messages };
}

/** Releases (delivers now, and forgets the mailbox's count) or deletes its held messages; answers those it found. */
export async function actOnHeld(app: AppContext, caller: Caller, ref: string, action: 'release' | 'delete') {
  assertStaff(caller.actor);
  const { b, address, messages } = await askHeld(app, ref, action);
  return change(app, caller, async (c) => {
    c.staffOnly();
    await recordMailboxHeld(c.db, b.serverId, [{ id: b.id, bytes: 0 }]);
    await c.audit({ action: `mailbox.held_${action}`, targetType: 'mailbox', targetId: b.id, target: address, customerId: b.customerId, after: { messages: messages.map((m) => m.queueId) } });
    return { mailbox: address, messages };
  });
}
