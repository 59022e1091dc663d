// The mail servers' certificates through the API, without a CA at hand (a DNS resolver and an ACME
// directory that are not there, a ManualClock the test moves: no order ever reaches a CA): the first
// mail domain of a mail server wants its certificate, for the name its mail records point to; the job
// reports what it could not check and retries on the failure schedule; staff see it (list, server),
// renew it; a server that is no mail server has none; customers see none of it.
// (Obtaining, renewing and serving them through Postfix and Dovecot: test/agent-mail-certs.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { freePort } from './harness/services.js';
import { ManualClock } from '../src/platform/clock.js';
import { mailServerState } from '../src/mail/store-desired.js';

const MIN = 60_000;

describe('mail servers\' certificates: schedule and API', () => {
  let m: TestManager;
  let clock: ManualClock;
  let mail: { id: string };
  let web: { id: string };
  let customerToken = '';
  const cert = async () => (await m.api('GET', `/api/v1/servers/${mail.id}/mail-certificate`)).body;

  before(async () => {
    clock = new ManualClock(Date.now() + 10 * MIN);
    m = await startTestManager({
      clock,
      settings: { ABRI_PLATFORM_DOMAIN: 'web4me.test', ABRI_ACME_DIRECTORY: `https://127.0.0.1:${await freePort()}/dir`, ABRI_DNS_RESOLVER: `127.0.0.1:${await freePort()}` },
    });
    mail = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['127.0.0.1'] })).body;
    web = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    const { hosting, customer } = await seedHosting(m);
    const u = await m.user('owner@post.example');
    await m.join(customer.id, 'owner@post.example', 'owner');
    customerToken = u.token;
    assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'post.example', httpsMode: 'http-only' })).status, 201);
    assert.equal((await m.api('GET', `/api/v1/servers/${mail.id}/mail-certificate`)).body.status, 'none', 'nothing wanted before the server has mail');
    assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: 'post.example' })).status, 201);
  });
  after(async () => {
    await m?.close();
  });

  test('the first mail domain wants the server\'s certificate for its mail name; a name that cannot be checked is retried after 1 minute', async () => {
    const wanted = await cert();
    assert.equal(wanted.kind, 'mail');
    assert.equal(wanted.server, 'mail-1');
    assert.deepEqual(wanted.wanted, ['mail-1.web4me.test']);
    assert.equal(wanted.status, 'pending');
    await m.manager.jobs.runDue();
    const c = await cert();
    assert.equal(c.failures, 1, JSON.stringify(c));
    assert.deepEqual(c.names, []);
    assert.match(c.lastError, /mail-1\.web4me\.test/);
    assert.equal(new Date(c.nextAttemptAt).getTime() - new Date(c.lastAttemptAt).getTime(), MIN, 'retried in 1 minute on the platform\'s clock');
    // nothing issued: the mail server keeps its self-signed certificate
    assert.equal((await mailServerState(m.manager.app.db, mail.id, 'mail-1.web4me.test')).certificate, null);
    // staff's list shows it, named by its server
    const listed = (await m.api('GET', '/api/v1/certificates?q=mail-1')).body.items;
    assert.deepEqual(listed.map((x: { kind: string; server: string }) => [x.kind, x.server]), [['mail', 'mail-1']]);
  });

  test('staff renew it now; a server that is no mail server has none', async () => {
    const r = await m.api('POST', `/api/v1/servers/${mail.id}/mail-certificate/renew`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(new Date(r.body.nextAttemptAt).getTime(), clock.now().getTime(), 'due now');
    const audit = (await m.api('GET', '/api/v1/audit?q=certificate.renew')).body.items ?? [];
    assert.ok(audit.some((a: { target: string }) => a.target === 'mail-1.web4me.test'), JSON.stringify(audit));
    for (const [method, path] of [['GET', `/api/v1/servers/${web.id}/mail-certificate`], ['POST', `/api/v1/servers/${web.id}/mail-certificate/renew`]]) {
      const x = await m.api(method, path);
      assert.equal(x.status, 409, `${method} ${path}`);
      assert.equal(x.body.code, 'certificate.not_mail_server');
    }
  });

  test('customers see none of it', async () => {
    for (const [method, path] of [['GET', `/api/v1/servers/${mail.id}/mail-certificate`], ['POST', `/api/v1/servers/${mail.id}/mail-certificate/renew`], ['GET', '/api/v1/certificates']]) {
      const r = await m.api(method, path, undefined, { token: customerToken });
      assert.equal(r.status, 403, `${method} ${path}`);
    }
  });
});
