// Certificates through the API, without a CA at hand: the failure schedule (1 min, 10 min, 100 min,
// daily; failing after four), a renewal asked for, HTTP-only sites, staff's list, refusals. The
// certificate jobs really run, on a ManualClock the test moves (runDue: no sleeps): names are checked
// against a DNS server that is not there, so no order ever reaches a CA. Then the upload attack of
// the outside review (issue 9, finding 3): another customer's domain, the platform's wildcard, a
// 512-bit RSA key. (Obtaining, renewing and serving certificates: test/dns-certs.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { freePort } from './harness/services.js';
import { selfSignedCertificate } from './harness/certificates.js';
import { ManualClock } from '../src/platform/clock.js';
import { deployableCertificates, hostHasCertificate } from '../src/certs/store.js';

const MIN = 60_000;

/** A clock ahead of real time: work asked for "now" by code that reads the system's time is due on it too. */
const manualClock = () => new ManualClock(Date.now() + 10 * MIN);

describe('certificate schedule and API', () => {
  let m: TestManager;
  let clock: ManualClock;
  let dataDir = '';
  let site: { id: string };
  let customerToken = '';
  const cert = async () => (await m.api('GET', `/api/v1/sites/${site.id}/certificate`)).body;
  const gap = (c: { lastAttemptAt: string; nextAttemptAt: string }) => new Date(c.nextAttemptAt).getTime() - new Date(c.lastAttemptAt).getTime();
  /** Moves the clock to the next attempt and runs what is due. */
  const nextAttempt = async () => {
    clock.set((await cert()).nextAttemptAt);
    await m.manager.jobs.runDue();
    return cert();
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'abri-certs-'));
    clock = manualClock();
    m = await startTestManager({
      clock,
      settings: {
        // a render-only local agent reports the site "rendered": the job then checks its names
        ABRI_LOCAL_AGENT: '1', ABRI_DATA_DIR: dataDir,
        ABRI_ACME_DIRECTORY: `https://127.0.0.1:${await freePort()}/dir`, ABRI_DNS_RESOLVER: `127.0.0.1:${await freePort()}`,
      },
    });
    const { hosting, customer } = await seedHosting(m);
    site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'nowhere.example', aliases: ['www.nowhere.example'], httpsMode: 'both' })).body;
    const u = await m.user('owner@nowhere.example');
    await m.join(customer.id, 'owner@nowhere.example', 'owner');
    customerToken = u.token;
    // the job waits while the platform publishes the site: wait for the agent's report (an event)
    await until('site rendered by the local agent', async () => (await m.api('GET', `/api/v1/sites/${site.id}`)).body.provisioning.status !== 'pending', 60_000, 100);
  });
  after(async () => {
    await m?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a name that cannot be checked is reported, not ordered, and tried again after 1 minute', async () => {
    // a first run may have found the site not yet published: it looks again 2 s later
    clock.advance(2000);
    await m.manager.jobs.runDue();
    const c = await cert();
    assert.equal(c.failures, 1, JSON.stringify(c));
    assert.equal(c.status, 'pending');
    assert.deepEqual(c.names, []);
    assert.deepEqual(c.problems.map((p: { name: string }) => p.name).sort(), ['nowhere.example', 'www.nowhere.example']);
    assert.match(c.lastError, /nowhere\.example/);
    assert.equal(gap(c), MIN, 'retry in exactly 1 minute on the platform\'s clock');
    clock.advance(MIN - 1000);
    await m.manager.jobs.runDue();
    assert.equal((await cert()).failures, 1, 'not tried again before its time');
  });

  test('after four failures in a row the certificate is failing, tried again daily', async () => {
    for (const [failures, delay] of [[2, 10 * MIN], [3, 100 * MIN], [4, 1440 * MIN], [5, 1440 * MIN]] as const) {
      const c = await nextAttempt();
      assert.equal(c.failures, failures);
      assert.equal(gap(c), delay, `after ${failures} failures, retry in ${gap(c)} ms (expected ${delay})`);
      assert.equal(c.status, failures >= 4 ? 'failing' : 'pending');
    }
    const list = await m.api('GET', '/api/v1/certificates?status=failing');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((x: { domain: string }) => x.domain), ['nowhere.example']);
    assert.equal((await m.api('GET', '/api/v1/certificates', undefined, { token: customerToken })).status, 403);
    // staff see the job behind it, with its last error
    const jobs = (await m.api('GET', '/api/v1/jobs?kind=certificate')).body.items;
    const job = jobs.find((j: { key: string }) => j.key === list.body.items[0].id);
    assert.equal(job.attempts, 5);
    assert.match(job.lastError, /nowhere\.example/);
    assert.equal(job.runAt, list.body.items[0].nextAttemptAt);
  });

  test('asking for a renewal makes it due now and starts the schedule again', async () => {
    const r = await m.api('POST', `/api/v1/sites/${site.id}/certificate/renew`, undefined, { token: customerToken });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.failures, 0);
    assert.equal(r.body.nextAttemptAt, clock.now().toISOString());
    await m.manager.jobs.runDue();
    const c = await cert();
    assert.equal(c.failures, 1);
    assert.equal(c.status, 'pending');
    const audit = (await m.api('GET', '/api/v1/audit?action=certificate.renew')).body.items;
    assert.equal(audit.length, 1);
  });

  test('an HTTP-only site needs no certificate: none, nothing scheduled, renew refused', async () => {
    assert.equal((await m.api('PATCH', `/api/v1/sites/${site.id}`, { httpsMode: 'http-only' })).status, 200);
    const c = await cert();
    assert.equal(c.status, 'none');
    assert.equal(c.nextAttemptAt, null);
    assert.equal(c.lastError, null);
    const r = await m.api('POST', `/api/v1/sites/${site.id}/certificate/renew`);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'certificate.https_disabled');
    const job = (await m.api('GET', '/api/v1/jobs?kind=certificate&q=' + c.id)).body.items[0];
    assert.equal(job.status, 'done', 'the job no longer works on it');
    clock.advance(7 * 1440 * MIN);
    await m.manager.jobs.runDue();
    const later = (await m.api('GET', `/api/v1/jobs/${job.id}`)).body;
    assert.deepEqual([later.status, later.lastRunAt], ['done', job.lastRunAt], 'a week later it has not run');
    assert.equal((await m.api('DELETE', `/api/v1/sites/${site.id}/certificate`)).body.code, 'certificate.not_custom');
    assert.equal((await m.api('POST', '/api/v1/certificates/platform/renew')).status, 404, 'no platform domain here');
  });

  test('expired challenges are removed by a recurring job', async () => {
    const job = (await m.api('GET', '/api/v1/jobs?kind=acme.challenges.expire')).body.items[0];
    assert.equal(job.schedule, 'every 10m');
    await m.manager.app.db.insertInto('acmeChallenges').values({ kind: 'http-01', token: 'expired-token-123', name: 'nowhere.example', value: 'v', expiresAt: clock.now() }).execute();
    const answer = await fetch(`${m.url}/.well-known/acme-challenge/expired-token-123`);
    assert.equal(answer.status, 404, 'an expired challenge is not answered (app.clock)');
    clock.set(new Date(new Date(job.runAt).getTime() + 10 * MIN));
    await m.manager.jobs.runDue();
    assert.equal((await m.manager.app.db.selectFrom('acmeChallenges').select('id').execute()).length, 0);
  });
});

test('with certificates disabled (ABRI_ACME_DIRECTORY empty) the API says so', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const { hosting } = await seedHosting(m);
  const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'quiet.example', httpsMode: 'redirect' })).body;
  const c = (await m.api('GET', `/api/v1/sites/${site.id}/certificate`)).body;
  assert.equal(c.status, 'pending');
  assert.match(c.lastError, /ABRI_ACME_DIRECTORY is empty/);
  assert.equal(c.nextAttemptAt, null);
  const r = await m.api('POST', `/api/v1/sites/${site.id}/certificate/renew`);
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'certificate.acme_disabled');
  const platform = (await m.api('GET', '/api/v1/platform')).body;
  assert.deepEqual(platform.certificates, { automatic: false });
  assert.equal(platform.platformDomain, null);
});

describe('an uploaded certificate names only its own site (issue 9, finding 3)', () => {
  let m: TestManager;
  let a: { token: string };
  let siteA: { id: string };
  let siteB: { id: string; httpsMode: string };
  const upload = (site: string, body: Record<string, string>, token = a.token) => m.api('POST', `/api/v1/sites/${site}/certificate`, body, { token });

  before(async () => {
    m = await startTestManager({ settings: { ABRI_PLATFORM_DOMAIN: 'web4me.test' } });
    const A = await seedHosting(m, { customer: 'Alpha' });
    const B = await seedHosting(m, { customer: 'Bravo' });
    siteA = (await m.api('POST', `/api/v1/hostings/${A.hosting.id}/sites`, { domain: 'alpha-up.test', aliases: ['www.alpha-up.test'], platformSubdomain: 'alpha' })).body;
    siteB = (await m.api('POST', `/api/v1/hostings/${B.hosting.id}/sites`, { domain: 'bravo-up.test', httpsMode: 'both' })).body;
    a = await m.user('owner@alpha-up.test');
    assert.equal((await m.join(A.customer.id, 'owner@alpha-up.test', 'owner')).status, 201);
  });
  after(() => m?.close());

  test('A\'s certificate naming B\'s domain and *.<platform domain> is refused; B\'s site is untouched', async () => {
    const bBefore = { site: (await m.api('GET', `/api/v1/sites/${siteB.id}`)).body, cert: (await m.api('GET', `/api/v1/sites/${siteB.id}/certificate`)).body };
    const evil = await selfSignedCertificate(['alpha-up.test', 'www.alpha-up.test', 'bravo-up.test', '*.web4me.test'], 30);
    const r = await upload(siteA.id, { certificate: evil.cert, privateKey: evil.key });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.code, 'certificate.foreign_names');
    assert.deepEqual(r.body.params.names, ['bravo-up.test', '*.web4me.test']);
    assert.equal(r.body.errors[0].path, 'body.certificate');
    for (const only of [['alpha-up.test', 'www.alpha-up.test', 'web4me.test'], ['alpha-up.test', 'www.alpha-up.test', 'alpha.web4me.test']]) {
      const c = await selfSignedCertificate(only, 30);
      assert.equal((await upload(siteA.id, { certificate: c.cert, privateKey: c.key })).body.code, 'certificate.foreign_names', only.join(', '));
    }
    assert.deepEqual({ site: (await m.api('GET', `/api/v1/sites/${siteB.id}`)).body, cert: (await m.api('GET', `/api/v1/sites/${siteB.id}/certificate`)).body }, bBefore);
    const served = await deployableCertificates(m.manager.app.db);
    assert.ok(!hostHasCertificate(served, 'bravo-up.test') && !hostHasCertificate(served, 'x.web4me.test'), 'no certificate of A may answer for B\'s name');
    assert.equal((await m.api('GET', '/api/v1/audit?action=certificate.upload')).body.total, 0);
    // A cannot aim at B's site either
    const good = await selfSignedCertificate(['bravo-up.test'], 30);
    assert.equal((await upload(siteB.id, { certificate: good.cert, privateKey: good.key })).status, 404);
  });

  test('a 512-bit RSA key is refused; A\'s own certificate is accepted and covers only A', async () => {
    const weak = await selfSignedCertificate(['alpha-up.test', 'www.alpha-up.test'], 30, { rsaBits: 512 });
    const r = await upload(siteA.id, { certificate: weak.cert, privateKey: weak.key });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'certificate.weak_key');
    assert.deepEqual(r.body.params, { keyType: 'rsa', bits: 512, minimum: 2048 });
    const own = await selfSignedCertificate(['alpha-up.test', '*.alpha-up.test'], 30, { rsaBits: 2048 });
    const ok = await upload(siteA.id, { certificate: own.cert, privateKey: own.key });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.source, 'custom');
    assert.equal(ok.body.nextAttemptAt, null, 'an uploaded certificate is not renewed');
    const served = await deployableCertificates(m.manager.app.db);
    assert.ok(hostHasCertificate(served, 'www.alpha-up.test'));
    assert.ok(!hostHasCertificate(served, 'bravo-up.test'));
    assert.equal((await m.api('GET', '/api/v1/audit?action=certificate.upload')).body.total, 1);
  });
});
