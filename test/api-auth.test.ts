// Login sessions with CSRF, API tokens, rate limiting, TOTP, first-admin setup and invitations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { startTestManager } from './helpers/manager.js';

const cookieOf = (h: Headers) => /abri_session=([^;]+)/.exec(h.get('set-cookie') ?? '')?.[1];

test('sessions, CSRF, tokens, rate limiting and TOTP', async (t) => {
  const m = await startTestManager({ settings: { ABRI_LOGIN_MAX_FAILURES: '3' } });
  t.after(() => m.close());
  await m.api('POST', '/api/v1/users', { email: 'Staff@Abri.Test', password: 'a long password', role: 'staff' });

  await t.test('login is case-insensitive on the email and sets an HttpOnly SameSite cookie', async () => {
    const r = await m.api('POST', '/api/v1/auth/login', { email: 'staff@abri.TEST', password: 'a long password' }, { token: null });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie')!, /HttpOnly/);
    assert.match(r.headers.get('set-cookie')!, /SameSite=Strict/);
    assert.equal(r.body.user.email, 'staff@abri.test');
    const cookie = cookieOf(r.headers)!;
    const me = await m.api('GET', '/api/v1/me', undefined, { token: null, headers: { cookie: `abri_session=${cookie}` } });
    assert.equal(me.body.user.role, 'staff');
    // state-changing requests with the cookie need the CSRF header
    const noCsrf = await m.api('POST', '/api/v1/customers', { name: 'X', contactEmail: 'x@x.org' }, { token: null, headers: { cookie: `abri_session=${cookie}` } });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.body.code, 'auth.csrf');
    const withCsrf = await m.api('POST', '/api/v1/customers', { name: 'X', contactEmail: 'x@x.org' }, { token: null, headers: { cookie: `abri_session=${cookie}`, 'x-csrf-token': r.body.csrfToken } });
    assert.equal(withCsrf.status, 201);
    const out = await m.api('POST', '/api/v1/auth/logout', undefined, { token: null, headers: { cookie: `abri_session=${cookie}`, 'x-csrf-token': r.body.csrfToken } });
    assert.equal(out.status, 204);
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: null, headers: { cookie: `abri_session=${cookie}` } })).status, 401);
  });

  await t.test('anonymous and bad tokens get 401 problems', async () => {
    const anon = await m.api('GET', '/api/v1/customers', undefined, { token: null });
    assert.equal(anon.status, 401);
    assert.equal(anon.body.code, 'auth.unauthenticated');
    const bad = await m.api('GET', '/api/v1/customers', undefined, { token: 'abri_nottherighttoken' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.code, 'auth.invalid_token');
  });

  await t.test('tokens: shown once, stored hashed, listed without the secret, expire and can be revoked', async () => {
    const created = await m.api('POST', '/api/v1/tokens', { name: 'deploy' });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^abri_/);
    const stored = await m.manager.app.db.selectFrom('apiTokens').select('tokenHash').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.tokenHash, created.body.token);
    assert.ok(!stored.tokenHash.includes(created.body.token.slice(5, 20)));
    const list = await m.api('GET', '/api/v1/tokens');
    assert.ok(list.body.items.some((i: { id: string }) => i.id === created.body.id));
    assert.ok(!JSON.stringify(list.body).includes(created.body.token));
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: created.body.token })).status, 200);
    assert.equal((await m.api('DELETE', `/api/v1/tokens/${created.body.id}`)).status, 204);
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: created.body.token })).status, 401);
    const past = await m.api('POST', '/api/v1/tokens', { name: 'old', expiresAt: '2020-01-01T00:00:00Z' });
    assert.equal(past.status, 400);
    const soon = await m.api('POST', '/api/v1/tokens', { name: 'soon', expiresAt: new Date(Date.now() + 1500).toISOString() });
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: soon.body.token })).status, 200);
    await new Promise((r) => setTimeout(r, 1600));
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: soon.body.token })).status, 401);
  });

  await t.test('TOTP: enabling needs a valid code, then login needs one', async () => {
    const u = await m.user('totp@abri.test', 'staff');
    const start = await m.api('POST', '/api/v1/me/totp', undefined, { token: u.token });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(start.body.secret) });
    assert.equal((await m.api('POST', '/api/v1/me/totp/confirm', { code: '000000' === totp.generate() ? '111111' : '000000' }, { token: u.token })).status, 401);
    assert.equal((await m.api('POST', '/api/v1/me/totp/confirm', { code: totp.generate() }, { token: u.token })).status, 200);
    const noCode = await m.api('POST', '/api/v1/auth/login', { email: 'totp@abri.test', password: 'correct horse battery' }, { token: null });
    assert.equal(noCode.body.code, 'auth.totp_required');
    const ok = await m.api('POST', '/api/v1/auth/login', { email: 'totp@abri.test', password: 'correct horse battery', totp: totp.generate() }, { token: null });
    assert.equal(ok.status, 200);
  });

  await t.test('login is rate-limited per account after repeated failures', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await m.api('POST', '/api/v1/auth/login', { email: 'staff@abri.test', password: 'wrong password' }, { token: null });
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'auth.invalid_credentials');
    }
    const limited = await m.api('POST', '/api/v1/auth/login', { email: 'staff@abri.test', password: 'a long password' }, { token: null });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'auth.rate_limited');
    const unknown = await m.api('POST', '/api/v1/auth/login', { email: 'nobody@abri.test', password: 'whatever it is' }, { token: null });
    assert.equal(unknown.status, 401, 'an unknown account says the same as a wrong password');
  });

  await t.test('staff-only routes answer 403 to customers; admins alone create staff', async () => {
    const c = await m.user('cust@abri.test');
    const r = await m.api('GET', '/api/v1/users', undefined, { token: c.token });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'auth.staff_only');
    const staff = await m.user('staff2@abri.test', 'staff');
    const s = await m.api('POST', '/api/v1/users', { email: 'boss@abri.test', role: 'admin' }, { token: staff.token });
    assert.equal(s.status, 403);
    const ok = await m.api('POST', '/api/v1/users', { email: 'client@abri.test' }, { token: staff.token });
    assert.equal(ok.status, 201);
    assert.match(ok.body.invitationUrl, /\/invitation#/);
  });

  await t.test('password change needs the current password', async () => {
    const c = await m.user('pw@abri.test');
    const bad = await m.api('PATCH', '/api/v1/me', { password: 'new password 1', currentPassword: 'nope' }, { token: c.token });
    assert.equal(bad.body.code, 'user.current_password_invalid');
    const ok = await m.api('PATCH', '/api/v1/me', { password: 'new password 1', currentPassword: 'correct horse battery', locale: 'fr' }, { token: c.token });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.locale, 'fr');
    assert.equal((await m.api('POST', '/api/v1/auth/login', { email: 'pw@abri.test', password: 'new password 1' }, { token: null })).status, 200);
  });
});

test('first start: the setup token creates the first admin once; invitations set a password once', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  // the helper created an admin; simulate an empty platform by removing it
  await m.manager.app.db.deleteFrom('users').execute();
  m.manager.app.setupToken = 'the-setup-token';
  assert.deepEqual((await m.api('GET', '/api/v1/setup', undefined, { token: null })).body, { needed: true });
  const wrong = await m.api('POST', '/api/v1/setup', { token: 'nope', email: 'root@abri.test', password: 'a long password' }, { token: null });
  assert.equal(wrong.status, 403);
  const ok = await m.api('POST', '/api/v1/setup', { token: 'the-setup-token', email: 'root@abri.test', password: 'a long password' }, { token: null });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.user.role, 'admin');
  const again = await m.api('POST', '/api/v1/setup', { token: 'the-setup-token', email: 'x@abri.test', password: 'a long password' }, { token: null });
  assert.equal(again.status, 409);

  const login = await m.api('POST', '/api/v1/auth/login', { email: 'root@abri.test', password: 'a long password' }, { token: null });
  const headers = { cookie: `abri_session=${cookieOf(login.headers)}`, 'x-csrf-token': login.body.csrfToken };
  const invited = await m.api('POST', '/api/v1/users', { email: 'new@abri.test' }, { token: null, headers });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const secret = invited.body.invitationUrl.split('#')[1];
  assert.equal((await m.api('POST', '/api/v1/auth/login', { email: 'new@abri.test', password: 'anything at all' }, { token: null })).status, 401);
  const accepted = await m.api('POST', '/api/v1/auth/accept-invitation', { token: secret, password: 'my own password' }, { token: null });
  assert.equal(accepted.status, 200);
  assert.equal((await m.api('POST', '/api/v1/auth/accept-invitation', { token: secret, password: 'my own password' }, { token: null })).status, 404);
  assert.equal((await m.api('POST', '/api/v1/auth/login', { email: 'new@abri.test', password: 'my own password' }, { token: null })).status, 200);
});
