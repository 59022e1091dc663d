// Login sessions with CSRF, API tokens, login limiting (issue 9 finding 9), TOTP, what a password
// change or a staff reset ends (finding 6), first-admin setup and the language it keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as OTPAuth from 'otpauth';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';

const cookieOf = (h: Headers) => /abri_session=([^;]+)/.exec(h.get('set-cookie') ?? '')?.[1];
const anonymous = { token: null } as const;

/** A request from another loopback address (127.0.0.0/8 is all local), to play several clients. */
function from(m: TestManager, address: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const url = new URL(m.url + path);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method, localAddress: address, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const wrong = (email: string) => ({ email, password: 'not the password' });

test('sessions, CSRF, tokens and TOTP', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const clock = new ManualClock('2026-02-01T08:00:00Z');
  m.manager.app.clock = clock;
  await m.api('POST', '/api/v1/users', { email: 'Staff@Abri.Test', password: 'a long password', role: 'staff' });

  await t.test('login is case-insensitive on the email and sets an HttpOnly SameSite cookie', async () => {
    const r = await m.api('POST', '/api/v1/auth/login', { email: 'staff@abri.TEST', password: 'a long password' }, anonymous);
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

  await t.test('sessions expire with the clock', async () => {
    const r = await m.api('POST', '/api/v1/auth/login', { email: 'staff@abri.test', password: 'a long password' }, anonymous);
    const headers = { cookie: `abri_session=${cookieOf(r.headers)}` };
    clock.advance(11 * 3600_000);
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: null, headers })).status, 200);
    clock.advance(3600_000 + 1000);
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: null, headers })).status, 401);
  });

  await t.test('anonymous and bad tokens get 401 problems', async () => {
    const anon = await m.api('GET', '/api/v1/customers', undefined, anonymous);
    assert.equal(anon.status, 401);
    assert.equal(anon.body.code, 'auth.unauthenticated');
    const bad = await m.api('GET', '/api/v1/customers', undefined, { token: 'abri_nottherighttoken' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.code, 'auth.invalid_token');
  });

  await t.test('tokens: shown once, stored hashed, listed with their last use and address, expire and can be revoked', async () => {
    const created = await m.api('POST', '/api/v1/tokens', { name: 'deploy' });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^abri_/);
    assert.deepEqual([created.body.lastUsedAt, created.body.lastUsedAddress], [null, null]);
    const stored = await m.manager.app.db.selectFrom('apiTokens').select('tokenHash').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.tokenHash, created.body.token);
    assert.ok(!stored.tokenHash.includes(created.body.token.slice(5, 20)));
    clock.advance(5000);
    assert.equal((await from(m, '127.0.0.5', 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${created.body.token}` })).status, 200);
    const list = await m.api('GET', '/api/v1/tokens');
    const mine = list.body.items.find((i: { id: string }) => i.id === created.body.id);
    assert.deepEqual([mine.lastUsedAt, mine.lastUsedAddress], [clock.now().toISOString(), '127.0.0.5']);
    assert.ok(!JSON.stringify(list.body).includes(created.body.token));
    assert.equal((await m.api('DELETE', `/api/v1/tokens/${created.body.id}`)).status, 204);
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: created.body.token })).status, 401);
    const past = await m.api('POST', '/api/v1/tokens', { name: 'old', expiresAt: new Date(clock.now().getTime() - 1000).toISOString() });
    assert.equal(past.status, 400);
    assert.equal(past.body.code, 'token.invalid');
    const soon = await m.api('POST', '/api/v1/tokens', { name: 'soon', expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: soon.body.token })).status, 200);
    clock.advance(60_000);
    assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: soon.body.token })).status, 401);
  });

  await t.test('TOTP: enabling needs a valid code, then login needs one (codes follow the clock)', async () => {
    const u = await m.user('totp@abri.test', 'staff');
    const start = await m.api('POST', '/api/v1/me/totp', undefined, { token: u.token });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(start.body.secret) });
    const code = () => totp.generate({ timestamp: clock.now().getTime() });
    const wrongCode = code() === '000000' ? '111111' : '000000';
    assert.equal((await m.api('POST', '/api/v1/me/totp/confirm', { code: wrongCode }, { token: u.token })).body.code, 'auth.totp_invalid');
    assert.equal((await m.api('POST', '/api/v1/me/totp/confirm', { code: totp.generate() === code() ? wrongCode : totp.generate() }, { token: u.token })).status, 401, 'a code of the real time is not one of the clock');
    assert.equal((await m.api('POST', '/api/v1/me/totp/confirm', { code: code() }, { token: u.token })).status, 200);
    const noCode = await m.api('POST', '/api/v1/auth/login', { email: 'totp@abri.test', password: 'correct horse battery' }, anonymous);
    assert.equal(noCode.body.code, 'auth.totp_required');
    const ok = await m.api('POST', '/api/v1/auth/login', { email: 'totp@abri.test', password: 'correct horse battery', totp: code() }, anonymous);
    assert.equal(ok.status, 200);
    assert.equal((await m.api('DELETE', '/api/v1/me/totp', { code: wrongCode }, { token: u.token })).body.code, 'auth.totp_invalid');
    assert.equal((await m.api('DELETE', '/api/v1/me/totp', { code: code() }, { token: u.token })).status, 204);
  });

  await t.test('staff-only routes answer 403 to customers; admins alone create staff', async () => {
    const c = await m.user('cust@abri.test');
    const r = await m.api('GET', '/api/v1/users', undefined, { token: c.token });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'auth.staff_only');
    const staff = await m.user('staff2@abri.test', 'staff');
    const s = await m.api('POST', '/api/v1/users', { email: 'boss@abri.test', role: 'admin' }, { token: staff.token });
    assert.equal(s.status, 403);
    assert.equal(s.body.code, 'auth.forbidden');
    const ok = await m.api('POST', '/api/v1/users', { email: 'client@abri.test' }, { token: staff.token });
    assert.equal(ok.status, 201);
    assert.match(ok.body.invitationUrl, /\/invitation#/);
  });
});

for (const database of testDatabases()) test(`login limiting: atomic, per address and per account at an address, slowing down with a growing delay (${database.name})`, async (t) => {
  const m = await startTestManager({ database, settings: { ABRI_LOGIN_MAX_FAILURES: '3' } });
  t.after(() => m.close());
  const clock = new ManualClock('2026-02-01T08:00:00Z');
  m.manager.app.clock = clock;
  await m.user('victim@abri.test');

  await t.test('40 concurrent wrong attempts get at most the limit of evaluations', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => m.api('POST', '/api/v1/auth/login', wrong('victim@abri.test'), anonymous)));
    const evaluated = answers.filter((a) => a.status === 401);
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(evaluated.length, 3, `${evaluated.length} evaluations for a limit of 3`);
    assert.equal(limited.length, 37);
    for (const a of limited) {
      assert.equal(a.body.code, 'auth.rate_limited');
      assert.equal(a.body.params.retryAfterSeconds, 15);
      assert.equal(a.headers.get('retry-after'), '15');
      assert.match(a.body.detail, /wait 15 seconds, then try again/);
    }
  });

  await t.test('concurrent right and wrong passwords never deadlock nor fail', async () => {
    await m.user('busy@abri.test');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      from(m, '127.0.0.60', 'POST', '/api/v1/auth/login', { email: 'busy@abri.test', password: i % 2 ? 'correct horse battery' : 'not the password' })));
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.every((s) => [200, 401, 429].includes(s)), JSON.stringify(statuses));
    // which of them counts first depends on the order they are evaluated in (three wrong ones first
    // lock the address); once the delay they were given is over, the right password works
    const wait = Math.max(0, ...answers.filter((a) => a.status === 429).map((a) => a.body.params.retryAfterSeconds as number));
    clock.advance(wait * 1000);
    const after = await from(m, '127.0.0.60', 'POST', '/api/v1/auth/login', { email: 'busy@abri.test', password: 'correct horse battery' });
    assert.equal(after.status, 200, JSON.stringify(after.body));
  });

  await t.test('wrong passwords from other addresses never slow the user down at their own address', async () => {
    for (let i = 2; i < 12; i++) {
      for (let n = 0; n < 4; n++) {
        const a = await from(m, `127.0.0.${i}`, 'POST', '/api/v1/auth/login', wrong('someone@abri.test'));
        assert.equal(a.status, n < 3 ? 401 : 429);
      }
    }
    await m.user('someone@abri.test');
    const own = await from(m, '127.0.0.20', 'POST', '/api/v1/auth/login', { email: 'someone@abri.test', password: 'correct horse battery' });
    assert.equal(own.status, 200, JSON.stringify(own.body));
  });

  await t.test('the delay grows after each refused guess, and the right password waits its turn, then works', async () => {
    const at = '127.0.0.30';
    const attempt = (password = 'not the password') => from(m, at, 'POST', '/api/v1/auth/login', { email: 'victim@abri.test', password });
    for (let n = 0; n < 3; n++) assert.equal((await attempt()).status, 401);
    for (const delay of [15, 30, 60, 120]) {
      const limited = await attempt('correct horse battery');
      assert.equal(limited.status, 429, 'not evaluated, even with the right password');
      assert.equal(limited.body.params.retryAfterSeconds, delay);
      assert.equal(limited.headers['retry-after'], String(delay));
      clock.advance((delay - 1) * 1000);
      assert.equal((await attempt()).body.params?.retryAfterSeconds, 1, 'a second before the delay is over');
      clock.advance(1000);
      assert.equal((await attempt()).status, 401, 'evaluated once the delay is over');
    }
    const long = await attempt();
    assert.match(long.body.detail, /wait 4 minutes/);
    clock.advance(long.body.params.retryAfterSeconds * 1000);
    assert.equal((await attempt('correct horse battery')).status, 200);
    // a success starts the account over at that address (the address keeps counting its guesses: 9 allowed)
    assert.equal((await attempt()).status, 401, 'evaluated at once');
    assert.equal((await attempt()).status, 401);
    assert.equal((await attempt()).status, 429, 'the address has had its 9 wrong guesses');
    // and keys quiet for an hour start over
    clock.advance(3600_000);
    for (let n = 0; n < 3; n++) assert.equal((await attempt()).status, 401);
    assert.equal((await attempt()).status, 429);
  });

  await t.test('one address guessing many accounts is slowed down too (3× the limit)', async () => {
    const at = '127.0.0.40';
    const statuses = [];
    for (let n = 0; n < 10; n++) statuses.push((await from(m, at, 'POST', '/api/v1/auth/login', wrong(`user${n}@abri.test`))).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 401, 401, 401, 429]);
  });

  await t.test('an API token by login (abri login) is limited the same way', async () => {
    const at = '127.0.0.50';
    for (let n = 0; n < 3; n++) assert.equal((await from(m, at, 'POST', '/api/v1/auth/token', { ...wrong('victim@abri.test'), name: 'cli' })).status, 401);
    assert.equal((await from(m, at, 'POST', '/api/v1/auth/token', { email: 'victim@abri.test', password: 'correct horse battery', name: 'cli' })).status, 429);
    clock.advance(15_000);
    const ok = await from(m, at, 'POST', '/api/v1/auth/token', { email: 'victim@abri.test', password: 'correct horse battery', name: 'laptop' });
    assert.equal(ok.status, 201);
    assert.match(ok.body.token, /^abri_/);
    assert.equal(ok.body.name, 'laptop');
  });
});

test('a password change ends the other sessions and may revoke tokens; a staff reset revokes both', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const u = await m.user('pw@abri.test');
  const session = async (password = 'correct horse battery') => {
    const r = await m.api('POST', '/api/v1/auth/login', { email: 'pw@abri.test', password }, anonymous);
    assert.equal(r.status, 200);
    return { cookie: `abri_session=${cookieOf(r.headers)}`, 'x-csrf-token': r.body.csrfToken };
  };
  const alive = async (headers: Record<string, string>) => (await m.api('GET', '/api/v1/me', undefined, { token: null, headers })).status === 200;
  const tokenAlive = async (token: string) => (await m.api('GET', '/api/v1/me', undefined, { token })).status === 200;

  const laptop = await session();
  const phone = await session();
  const bad = await m.api('PATCH', '/api/v1/me', { password: 'new password 1', currentPassword: 'nope' }, { token: null, headers: laptop });
  assert.equal(bad.body.code, 'user.current_password_invalid');
  const changed = await m.api('PATCH', '/api/v1/me', { password: 'new password 1', currentPassword: 'correct horse battery', locale: 'fr' }, { token: null, headers: laptop });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.user.locale, 'fr');
  const fresh = { cookie: `abri_session=${cookieOf(changed.headers)}`, 'x-csrf-token': changed.body.csrfToken };
  assert.deepEqual([await alive(laptop), await alive(phone), await alive(fresh)], [false, false, true], 'every other session ended; this browser continues');
  assert.equal(await tokenAlive(u.token), true, 'tokens survive unless asked');

  const again = await m.api('PATCH', '/api/v1/me', { password: 'new password 2', currentPassword: 'new password 1', revokeTokens: true }, { token: null, headers: fresh });
  assert.equal(again.status, 200);
  assert.equal(await tokenAlive(u.token), false, 'revokeTokens revoked them');
  const audit = await m.api('GET', `/api/v1/audit?target=pw@abri.test&action=user.update&limit=1`);
  assert.equal(audit.body.items[0].after.revokedApiCredentials, 1);

  // a reset by staff ends the sessions and revokes the tokens
  const s = await session('new password 2');
  const token = (await m.api('POST', '/api/v1/tokens', { name: 'script' }, { token: null, headers: s })).body.token;
  assert.equal(await tokenAlive(token), true);
  assert.equal((await m.api('PATCH', `/api/v1/users/${u.id}`, { password: 'reset by staff 1' })).status, 200);
  assert.deepEqual([await alive(s), await tokenAlive(token)], [false, false]);
  assert.equal((await m.api('POST', '/api/v1/auth/login', { email: 'pw@abri.test', password: 'reset by staff 1' }, anonymous)).status, 200);
});

test('first start: the setup token creates the first admin once, in the language of the page', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  // the helper created an admin; simulate an empty platform by removing it
  await m.manager.app.db.deleteFrom('users').execute();
  m.manager.app.setupToken = 'the-setup-token';
  assert.deepEqual((await m.api('GET', '/api/v1/setup', undefined, anonymous)).body, { needed: true });
  const wrongToken = await m.api('POST', '/api/v1/setup', { token: 'nope', email: 'root@abri.test', password: 'a long password' }, anonymous);
  assert.equal(wrongToken.status, 403);
  assert.equal(wrongToken.body.code, 'setup.invalid_token');
  const ok = await m.api('POST', '/api/v1/setup', { token: 'the-setup-token', email: 'root@abri.test', password: 'a long password', locale: 'en' }, anonymous);
  assert.equal(ok.status, 201);
  assert.deepEqual([ok.body.user.role, ok.body.user.locale], ['admin', 'en']);
  assert.ok(cookieOf(ok.headers), 'logged in');
  const again = await m.api('POST', '/api/v1/setup', { token: 'the-setup-token', email: 'x@abri.test', password: 'a long password' }, anonymous);
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'setup.done');
  assert.deepEqual((await m.api('GET', '/api/v1/setup', undefined, anonymous)).body, { needed: false });

  const login = await m.api('POST', '/api/v1/auth/login', { email: 'root@abri.test', password: 'a long password' }, anonymous);
  assert.equal(login.body.user.locale, 'en', 'logging in never changes the language');
  const headers = { cookie: `abri_session=${cookieOf(login.headers)}`, 'x-csrf-token': login.body.csrfToken };
  const invited = await m.api('POST', '/api/v1/users', { email: 'new@abri.test' }, { token: null, headers });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const secret = invited.body.invitationUrl.split('#')[1];
  assert.equal((await m.api('POST', '/api/v1/auth/login', { email: 'new@abri.test', password: 'anything at all' }, anonymous)).status, 401);
  const accepted = await m.api('POST', '/api/v1/auth/accept-invitation', { token: secret, password: 'my own password', locale: 'en' }, anonymous);
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.user.locale, 'en');
  assert.equal((await m.api('POST', '/api/v1/auth/accept-invitation', { token: secret, password: 'my own password' }, anonymous)).status, 404);
  assert.equal((await m.api('POST', '/api/v1/auth/login', { email: 'new@abri.test', password: 'my own password' }, anonymous)).status, 200);
});
