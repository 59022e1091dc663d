// Invitations, played by the attacker of issue 9 (finding 1: account takeover through a
// pre-registered invitation; finding 7: enumeration through invitations; finding 8: a suspended or
// closed customer stays writable), and the lifecycle of a link: once, for 7 days (the Clock moves).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager, type Answer, type TestManager } from './helpers/manager.js';

const DAY = 86_400_000;
const secretOf = (url: string) => url.split('#')[1];
const is = (a: Answer, status: number, code?: string) => {
  assert.equal(a.status, status, JSON.stringify(a.body));
  if (code) assert.equal(a.body.code, code);
  return a.body;
};

async function world(m: TestManager) {
  const customer = async (name: string, ownerEmail: string) => {
    const c = is(await m.api('POST', '/api/v1/customers', { name, contactEmail: ownerEmail }), 201);
    const owner = await m.user(ownerEmail);
    is(await m.join(c.id, ownerEmail, 'owner'), 201);
    return { ...c, owner };
  };
  return { A: await customer('Alpha', 'owner@alpha.test'), C: await customer('Charlie', 'owner@charlie.test') };
}

const anonymous = { token: null } as const;
const login = (m: TestManager, email: string, password: string) => m.api('POST', '/api/v1/auth/login', { email, password }, anonymous);
const tokenOf = async (m: TestManager, email: string, password: string) =>
  is(await m.api('POST', '/api/v1/auth/token', { email, password, name: 'test' }, anonymous), 201).token as string;

test('finding 1: an account an owner pre-registered is never bound to another customer without its own consent', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const { A, C } = await world(m);

  // A's owner invites the accountant's email, accepts the link itself with its own password…
  const invitedByA = is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'x@accountant.test', role: 'manager' }, { token: A.owner.token }), 201);
  const taken = is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(invitedByA.invitationUrl), password: 'attacker password' }, anonymous), 200);
  assert.equal(taken.user.email, 'x@accountant.test');
  // …then removes the delegation, leaving an account it holds the password of
  const d = is(await m.api('GET', `/api/v1/customers/${A.id}/delegations`, undefined, { token: A.owner.token }), 200).items.find((i: { email: string }) => i.email === 'x@accountant.test');
  is(await m.api('DELETE', `/api/v1/customers/${A.id}/delegations/${d.id}`, undefined, { token: A.owner.token }), 204);

  // C invites that same email as owner: the answer is a link, shaped like any other
  const invitedByC = is(await m.api('POST', `/api/v1/customers/${C.id}/invitations`, { email: 'x@accountant.test', role: 'owner' }, { token: C.owner.token }), 201);
  assert.equal(invitedByC.pending, undefined);
  assert.match(invitedByC.invitationUrl, /\/invitation#/);

  // A, logged in as x@, is not an owner of C
  const asX = await tokenOf(m, 'x@accountant.test', 'attacker password');
  const me = is(await m.api('GET', '/api/v1/me', undefined, { token: asX }), 200);
  assert.deepEqual(me.customers, []);
  is(await m.api('GET', `/api/v1/customers/${C.id}`, undefined, { token: asX }), 404, 'customer.not_found');

  // the holder of C's link who is not logged in as x@ cannot bind it, nor set x@'s password
  const link = secretOf(invitedByC.invitationUrl);
  const look = is(await m.api('POST', '/api/v1/auth/invitation', { token: link }, anonymous), 200);
  assert.deepEqual([look.kind, look.email, look.customer.name, look.role, look.next, look.signedInAs], ['customer', 'x@accountant.test', 'Charlie', 'owner', 'log_in', null]);
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: link, password: 'a new password here' }, anonymous), 401, 'invitation.login_required');
  is(await login(m, 'x@accountant.test', 'a new password here'), 401, 'auth.invalid_credentials');
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: link }, { token: A.owner.token }), 403, 'invitation.wrong_account');
  is(await m.api('POST', '/api/v1/auth/invitation', { token: link }, { token: A.owner.token }), 200);
  assert.deepEqual((await m.api('GET', `/api/v1/customers/${C.id}/delegations`)).body.items.map((i: { email: string }) => i.email), ['owner@charlie.test']);

  // only a caller logged in as x@ consents; then the link is spent
  assert.equal(is(await m.api('POST', '/api/v1/auth/invitation', { token: link }, { token: asX }), 200).next, 'accept');
  const joined = is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: link }, { token: asX }), 200);
  assert.deepEqual(joined.customers.map((c: { name: string; role: string }) => `${c.name}:${c.role}`), ['Charlie:owner']);
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: link }, { token: asX }), 404, 'invitation.not_found');
  const audit = is(await m.api('GET', `/api/v1/audit?customerId=${C.id}&action=invitation.&target=x@`), 200);
  assert.deepEqual(audit.items.map((e: { action: string }) => e.action), ['invitation.accept', 'invitation.create']);
});

test('finding 7: inviting answers the same for an unknown, a registered and a staff email', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const { A } = await world(m);
  await m.user('registered@else.test');
  await m.user('support@abri.test', 'staff');
  const answers = [];
  for (const email of ['nobody@else.test', 'registered@else.test', 'support@abri.test', 'admin@abri.test']) {
    const a = await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email, role: 'manager' }, { token: A.owner.token });
    answers.push({ status: a.status, keys: Object.keys(a.body).sort().join(','), role: a.body.role, expired: a.body.expired, expiresIn: Date.parse(a.body.expiresAt) - Date.parse(a.body.createdAt) });
  }
  assert.equal(new Set(answers.map((a) => JSON.stringify(a))).size, 1, JSON.stringify(answers, null, 1));
  assert.equal(answers[0].status, 201);
  const listed = is(await m.api('GET', `/api/v1/customers/${A.id}/invitations`, undefined, { token: A.owner.token }), 200);
  assert.equal(new Set(listed.items.map((i: object) => Object.keys(i).sort().join(','))).size, 1);

  // the staff account is told at acceptance, not the inviter
  const staff = await m.user('helpdesk@abri.test', 'staff');
  const inv = is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'helpdesk@abri.test' }, { token: A.owner.token }), 201);
  assert.equal(is(await m.api('POST', '/api/v1/auth/invitation', { token: secretOf(inv.invitationUrl) }, anonymous), 200).next, 'staff_account');
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(inv.invitationUrl) }, { token: staff.token }), 409, 'invitation.staff_account');
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(inv.invitationUrl), password: 'a long password' }, anonymous), 409, 'invitation.staff_account');
});

test('a link works once, for 7 days; owners list, revoke and renew; the page language is kept', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  m.manager.app.clock = clock;
  const { A } = await world(m);
  const owner = { token: A.owner.token };

  const first = is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'Treso@Alpha.test', role: 'readonly' }, owner), 201);
  assert.deepEqual([first.email, first.role, first.expiresAt, first.expired], ['treso@alpha.test', 'readonly', '2026-03-08T10:00:00.000Z', false]);
  const look = is(await m.api('POST', '/api/v1/auth/invitation', { token: secretOf(first.invitationUrl) }, anonymous), 200);
  assert.deepEqual([look.next, look.customer.number, look.expiresAt], ['choose_password', A.number, first.expiresAt]);

  clock.advance(7 * DAY);
  const expired = is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(first.invitationUrl), password: 'my own password' }, anonymous), 409, 'invitation.expired');
  assert.equal(expired.params.expiredAt, first.expiresAt);
  is(await m.api('POST', '/api/v1/auth/invitation', { token: secretOf(first.invitationUrl) }, anonymous), 409, 'invitation.expired');
  const pending = is(await m.api('GET', `/api/v1/customers/${A.id}/invitations`, undefined, owner), 200);
  assert.deepEqual(pending.items.map((i: { email: string; expired: boolean; invitedBy: string }) => [i.email, i.expired, i.invitedBy]), [['treso@alpha.test', true, 'owner@alpha.test']]);

  // renewing makes a new link (the old one is dead), valid 7 days from now
  const renewed = is(await m.api('POST', `/api/v1/customers/${A.id}/invitations/${first.id}/renew`, undefined, owner), 200);
  assert.deepEqual([renewed.id, renewed.expiresAt, renewed.expired], [first.id, '2026-03-15T10:00:00.000Z', false]);
  assert.notEqual(renewed.invitationUrl, first.invitationUrl);
  is(await m.api('POST', '/api/v1/auth/invitation', { token: secretOf(first.invitationUrl) }, anonymous), 404, 'invitation.not_found');
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(renewed.invitationUrl) }, anonymous), 400, 'invitation.password_required');
  const joined = is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(renewed.invitationUrl), password: 'my own password', locale: 'en' }, anonymous), 200);
  assert.deepEqual([joined.user.email, joined.user.locale, joined.customers.map((c: { role: string }) => c.role)], ['treso@alpha.test', 'en', ['readonly']]);
  const relog = is(await login(m, 'treso@alpha.test', 'my own password'), 200);
  assert.equal(relog.user.locale, 'en', 'logging in keeps the language chosen on the page');
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(renewed.invitationUrl), password: 'my own password' }, anonymous), 404, 'invitation.not_found');
  assert.deepEqual(is(await m.api('GET', `/api/v1/customers/${A.id}/invitations`, undefined, owner), 200).items, []);

  // revoking kills the link; inviting the same email again replaces the waiting invitation
  const second = is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'late@alpha.test' }, owner), 201);
  const third = is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'late@alpha.test', role: 'owner' }, owner), 201);
  is(await m.api('POST', '/api/v1/auth/invitation', { token: secretOf(second.invitationUrl) }, anonymous), 404, 'invitation.not_found');
  assert.deepEqual(is(await m.api('GET', `/api/v1/customers/${A.id}/invitations`, undefined, owner), 200).items.map((i: { id: string; role: string }) => [i.id, i.role]), [[third.id, 'owner']]);
  is(await m.api('DELETE', `/api/v1/customers/${A.id}/invitations/${third.id}`, undefined, owner), 204);
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(third.invitationUrl), password: 'my own password' }, anonymous), 404, 'invitation.not_found');
  is(await m.api('DELETE', `/api/v1/customers/${A.id}/invitations/${third.id}`, undefined, owner), 404, 'invitation.not_found');
  // inviting someone who already acts for the customer says so (the owner sees them listed anyway)
  is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'treso@alpha.test' }, owner), 409, 'delegation.exists');

  // staff-created accounts without a password get an activation link, valid 7 days, once
  const made = is(await m.api('POST', '/api/v1/users', { email: 'new@abri.test', locale: 'fr' }), 201);
  const activation = secretOf(made.invitationUrl);
  assert.deepEqual(is(await m.api('POST', '/api/v1/auth/invitation', { token: activation }, anonymous), 200).kind, 'account');
  clock.advance(7 * DAY + 1000);
  is(await m.api('POST', '/api/v1/auth/accept-invitation', { token: activation, password: 'my own password' }, anonymous), 409, 'invitation.expired');
});

test('roles and states: managers do not invite; a suspended or closed customer is read-only for its users, not for staff', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const { A } = await world(m);
  const manager = await m.user('manager@alpha.test');
  const readonly = await m.user('reader@alpha.test');
  is(await m.join(A.id, 'manager@alpha.test', 'manager'), 201);
  const ro = is(await m.join(A.id, 'reader@alpha.test', 'readonly'), 201);
  const inv = is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'someone@else.test' }, { token: A.owner.token }), 201);
  is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'y@else.test' }, { token: manager.token }), 403, 'invitation.forbidden');
  is(await m.api('DELETE', `/api/v1/customers/${A.id}/invitations/${inv.id}`, undefined, { token: readonly.token }), 403, 'invitation.forbidden');
  assert.equal(is(await m.api('GET', `/api/v1/customers/${A.id}/invitations`, undefined, { token: readonly.token }), 200).total, 1);
  // nobody attaches an account directly, not even the staff: the account's owner accepts (consent)
  is(await m.api('POST', `/api/v1/customers/${A.id}/delegations`, { email: 'manager@alpha.test', role: 'owner' }), 404, 'route.not_found');

  for (const status of ['suspended', 'closed'] as const) {
    is(await m.api('PATCH', `/api/v1/customers/${A.id}`, { status }), 200);
    const code = `customer.${status}`;
    const owner = { token: A.owner.token };
    is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'z@else.test' }, owner), 409, code);
    is(await m.api('POST', `/api/v1/customers/${A.id}/invitations/${inv.id}/renew`, undefined, owner), 409, code);
    is(await m.api('DELETE', `/api/v1/customers/${A.id}/invitations/${inv.id}`, undefined, owner), 409, code);
    is(await m.api('PATCH', `/api/v1/customers/${A.id}/delegations/${ro.id}`, { role: 'manager' }, owner), 409, code);
    is(await m.api('DELETE', `/api/v1/customers/${A.id}/delegations/${ro.id}`, undefined, owner), 409, code);
    is(await m.api('PATCH', `/api/v1/customers/${A.id}`, { name: 'Renamed' }, owner), 409, code);
    // reading stays possible
    is(await m.api('GET', `/api/v1/customers/${A.id}/delegations`, undefined, owner), 200);
    is(await m.api('GET', `/api/v1/customers/${A.id}/invitations`, undefined, owner), 200);
  }
  // staff still change everything
  is(await m.api('PATCH', `/api/v1/customers/${A.id}/delegations/${ro.id}`, { role: 'manager' }), 200);
  is(await m.api('POST', `/api/v1/customers/${A.id}/invitations`, { email: 'z@else.test' }), 201);
  is(await m.api('DELETE', `/api/v1/customers/${A.id}/invitations/${inv.id}`), 204);
  is(await m.api('PATCH', `/api/v1/customers/${A.id}`, { name: 'Alpha (closed)' }), 200);
});
