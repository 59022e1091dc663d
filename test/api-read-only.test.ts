// The platform's read-only mode through the API: an admin switches it on with a message, now or from
// a time of the Clock; then the whole API walked as customer A's owner refuses every change with
// platform.read_only (423, the message in both languages) but the few that stay open (signing in
// and out, password reset, the user's own account), and answers every read; nothing of A changed.
// Staff keep changing; only an admin switches it off; the platform's own work for customers (a job
// without a duty) waits while upkeep goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startTestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { exampleBody, fillPath, operations, paramKinds } from './helpers/api-walk.js';
import { assertProblem, bodyContext, ok, queryOf, references, seed, settings, snapshotOfA } from './helpers/isolation.js';
import { ManualClock } from '../src/platform/clock.js';
import { systemCaller } from '../src/platform/actor.js';
import { change } from '../src/platform/change.js';
import { JobRegistry } from '../src/jobs/registry.js';
import { JobRunner } from '../src/jobs/runner.js';
import { enqueueJob } from '../src/jobs/enqueue.js';
import { jobsByKey } from '../src/jobs/store.js';

const message = { fr: 'Abri ferme ce soir : vos factures restent téléchargeables.', en: 'Abri closes tonight: your invoices stay downloadable.' };
/** what customers may still do while the platform is read-only (x-abri-read-only: open) */
const open = [
  'POST /api/v1/auth/login', 'POST /api/v1/auth/token', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/invitation',
  'POST /api/v1/auth/password-reset', 'POST /api/v1/auth/password-reset/confirm',
  'PATCH /api/v1/me', 'POST /api/v1/me/totp', 'POST /api/v1/me/totp/confirm', 'DELETE /api/v1/me/totp', 'PUT /api/v1/me/work-notices',
  'POST /api/v1/tokens', 'DELETE /api/v1/tokens/{id}',
  // paying what is owed: starting a card payment, and Stripe telling that the money was taken
  'POST /api/v1/invoices/{id}/card-payment', 'POST /api/v1/payments/stripe/webhook',
].sort();

for (const database of testDatabases()) {
  test(`the platform's read-only mode (${database.name})`, async (t) => {
    const clock = new ManualClock('2026-12-01T10:00:00Z');
    const m = await startTestManager({ database, settings, clock });
    t.after(() => m.close());
    const s = await seed(m);
    const staff = await m.user('staff@abri.test', 'staff');
    const rename = (name: string, token?: string) => m.api('PATCH', `/api/v1/customers/${s.customerA.id}`, { name }, token ? { token } : {});

    await t.test('only an admin switches it; switching it on needs the message in both languages', async () => {
      assertProblem(await m.api('PUT', '/api/v1/platform/read-only', { enabled: true, message }, { token: staff.token }), 403, /^auth\.staff_only$/, 'staff');
      assertProblem(await m.api('PUT', '/api/v1/platform/read-only', { enabled: true, message }, { token: s.a.token }), 403, /^auth\.staff_only$/, 'customer');
      const half = await m.api('PUT', '/api/v1/platform/read-only', { enabled: true, message: { fr: '', en: 'closing' } });
      assertProblem(half, 400, /^read_only\.message_required$/, 'no French message');
      assert.equal(half.body.errors[0].path, 'body.message');
      const mode = await m.api('GET', '/api/v1/platform/read-only', undefined, { token: null });
      ok(mode, 200, 'anyone reads the mode');
      assert.deepEqual([mode.body.enabled, mode.body.active], [false, false]);
    });

    await t.test('a scheduled start moves with the Clock', async () => {
      const on = await m.api('PUT', '/api/v1/platform/read-only', { enabled: true, message, startsAt: '2026-12-01T18:00:00Z' });
      ok(on, 200, 'switch on at 18:00');
      assert.deepEqual([on.body.enabled, on.body.active, on.body.startsAt, on.body.changedBy], [true, false, '2026-12-01T18:00:00.000Z', 'admin@abri.test']);
      ok(await rename('Alpha before the closing', s.a.token), 200, 'A changes before the start');
      clock.set('2026-12-01T17:59:59Z');
      ok(await rename('Alpha one second before', s.a.token), 200, 'A changes one second before');
      clock.set('2026-12-01T18:00:00Z');
      const mode = await m.api('GET', '/api/v1/platform/read-only', undefined, { token: null });
      assert.deepEqual([mode.body.active, mode.body.message], [true, message]);
      const refused = await rename('Alpha after the start', s.a.token);
      assertProblem(refused, 423, /^platform\.read_only$/, 'A changes after the start');
      assert.deepEqual([refused.body.params.messageFr, refused.body.params.messageEn, refused.body.params.since], [message.fr, message.en, '2026-12-01T18:00:00.000Z']);
      assert.match(refused.body.detail, /closes tonight/);
    });

    await t.test('the whole API walked as A\'s owner: every change refused, every read answered', async () => {
      const before = await snapshotOfA(m, s);
      const ops = await operations(m);
      const ctx = { ...bodyContext(s, 'a@alpha-corp.test'), invitationToken: undefined };
      const declaredOpen = ops.filter((o) => o.readOnly === 'open').map((o) => o.key).sort();
      assert.deepEqual(declaredOpen, open, 'the routes that stay open while read-only');
      let reads = 0;
      let refused = 0;
      for (const op of ops) {
        const values = Object.fromEntries(paramKinds(op).map(({ name, kind }) => [name, references(s)[kind].a[0]]));
        const path = fillPath(op.path, values) + (op.method === 'GET' ? queryOf(op, s) : '');
        const what = `a: ${op.method} ${path}`;
        const answer = await m.api(op.method, path, exampleBody(op, ctx), { token: s.a.token });
        if (op.access === 'staff' || op.access === 'admin') {
          assertProblem(answer, 403, /^auth\.staff_only$/, what);
        } else if (op.method === 'GET') {
          if (answer.body?.code === 'server.unreachable') assertProblem(answer, 503, /^server\.unreachable$/, what); // an agent's answer: none runs here
          else ok(answer, 200, what);
          reads++;
        } else if (op.readOnly === 'open') {
          assert.ok(answer.status < 500 && answer.body?.code !== 'platform.read_only', `${what} stays open: ${answer.status} ${JSON.stringify(answer.body)}`);
        } else {
          assert.equal(op.readOnly, 'refused', `${what}: x-abri-read-only`);
          assertProblem(answer, 423, /^platform\.read_only$/, what);
          assert.equal(answer.body.params.messageEn, message.en, what);
          refused++;
        }
      }
      assert.ok(reads >= 40 && refused >= 60, `the walk covered ${reads} reads and ${refused} refused changes`);
      // only the user's own API tokens may change (the open routes logged in for a token, made one, revoked one)
      const withoutTokens = ({ tokens: _tokens, ...rest }: Awaited<ReturnType<typeof snapshotOfA>>) => rest;
      assert.deepEqual(withoutTokens(await snapshotOfA(m, s)), withoutTokens(before), 'customer A\'s objects changed during the read-only walk');
      console.log(`read-only walk: ${reads} reads, ${refused} changes refused`);
    });

    await t.test('signing in, a password reset and the own account stay open; an invitation waits', async () => {
      const login = await m.api('POST', '/api/v1/auth/login', { email: 'a@alpha-corp.test', password: 'correct horse battery' }, { token: null });
      ok(login, 200, 'login');
      ok(await m.api('POST', '/api/v1/auth/password-reset', { email: 'a@alpha-corp.test' }, { token: null }), 202, 'password reset');
      ok(await m.api('PATCH', '/api/v1/me', { locale: 'fr' }, { token: s.r.token }), 200, 'language of the readonly user');
      const invited = await m.api('POST', `/api/v1/customers/${s.customerA.id}/invitations`, { email: 'late@alpha-corp.test', role: 'manager' });
      ok(invited, 201, 'staff still invite');
      const accept = await m.api('POST', '/api/v1/auth/accept-invitation', { token: new URL(invited.body.invitationUrl).hash.slice(1), password: 'a long enough password' }, { token: null });
      assertProblem(accept, 423, /^platform\.read_only$/, 'accepting an invitation');
    });

    await t.test('staff keep changing; an admin switches it off, and customers change again', async () => {
      ok(await rename('Alpha renamed by staff', staff.token), 200, 'staff change while read-only');
      const off = await m.api('PUT', '/api/v1/platform/read-only', { enabled: false });
      ok(off, 200, 'switch off');
      assert.deepEqual([off.body.enabled, off.body.active, off.body.message], [false, false, message]);
      ok(await rename('Alpha after the reopening', s.a.token), 200, 'A changes again');
      const audit = await m.api('GET', '/api/v1/audit?q=read_only');
      ok(audit, 200, 'audit');
      assert.deepEqual(audit.body.items.map((e: { action: string }) => e.action).filter((a: string) => a.startsWith('platform.read_only')).sort(), ['platform.read_only_off', 'platform.read_only_on']);
    });

    await t.test('the platform\'s work for customers (a job without a duty) waits; upkeep goes on', async () => {
      const app = m.manager.app;
      ok(await m.api('PUT', '/api/v1/platform/read-only', { enabled: true, message }), 200, 'switch on at once');
      const renewals: string[] = [];
      const registry = new JobRegistry().register({
        kind: 'test.renewal', retryDelaysMs: [60_000], maxAttempts: 1,
        run: ({ app: a, job }) => change(a, systemCaller('renewals'), async (c) => {
          c.staffOnly();
          c.nothingToAudit();
          renewals.push(job.key);
        }),
      });
      const runner = new JobRunner(app, registry, { log: pino({ level: 'silent' }) });
      await enqueueJob(app.db, { kind: 'test.renewal', key: 'alpha', runAt: clock.now() }, clock.now());
      const jobOf = async () => (await jobsByKey(app.db, 'test.renewal', ['alpha'])).get('alpha');
      await runner.runDue();
      const waiting = await jobOf();
      assert.deepEqual([waiting?.status, waiting?.attempts, renewals.length], ['scheduled', 0, 0], 'a refused run is no failure (maxAttempts 1)');
      assert.match(String(waiting?.lastError), /^waiting: the platform is read-only/);
      assert.equal(new Date(waiting!.runAt).getTime() - clock.now().getTime(), 10 * 60_000, 'it looks again in 10 minutes');
      await change(app, systemCaller('certificates', 'upkeep'), async (c) => {
        c.staffOnly();
        c.nothingToAudit();
      });
      await assert.rejects(change(app, systemCaller('renewals'), async (c) => c.staffOnly()), /platform is read-only/);
      ok(await m.api('PUT', '/api/v1/platform/read-only', { enabled: false }), 200, 'switch off');
      clock.advance(10 * 60_000);
      await runner.runDue();
      assert.deepEqual([(await jobOf())?.status, renewals], ['done', ['alpha']]);
    });
  });
}
