// Certificates through the API, without a CA at hand: the failure schedule (1 min, 10 min, 100 min,
// daily; failing after four), a renewal asked for, HTTP-only sites, staff's list, refusals. The
// controller really runs: names are checked against a DNS server that is not there, so no order
// ever reaches a CA. (Obtaining, renewing and serving certificates: test/dns-certs.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { freePort } from './harness/services.js';

describe('certificate schedule and API', () => {
  let m: TestManager;
  let dataDir = '';
  let site: { id: string };
  let customerToken = '';
  const cert = async () => (await m.api('GET', `/api/v1/sites/${site.id}/certificate`)).body;
  const gap = (c: { lastAttemptAt: string; nextAttemptAt: string }) => new Date(c.nextAttemptAt).getTime() - new Date(c.lastAttemptAt).getTime();

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'abri-certs-'));
    m = await startTestManager({
      settings: {
        // a render-only local agent reports the site "rendered": the controller then checks its names
        ABRI_LOCAL_AGENT: '1', ABRI_DATA_DIR: dataDir,
        ABRI_ACME_DIRECTORY: `https://127.0.0.1:${await freePort()}/dir`, ABRI_DNS_RESOLVER: `127.0.0.1:${await freePort()}`,
      },
    });
    const { hosting, customer } = await seedHosting(m);
    site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'nowhere.example', aliases: ['www.nowhere.example'], httpsMode: 'both' })).body;
    const u = await m.user('owner@nowhere.example');
    await m.api('POST', `/api/v1/customers/${customer.id}/delegations`, { email: 'owner@nowhere.example', role: 'owner' });
    customerToken = u.token;
  });
  after(async () => {
    await m?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a name that cannot be checked is reported, not ordered, and tried again after 1 minute', async () => {
    const c = await until('first attempt', async () => {
      const x = await cert();
      return x.failures === 1 && x;
    }, 60_000, 200);
    assert.equal(c.status, 'pending');
    assert.deepEqual(c.names, []);
    assert.deepEqual(c.problems.map((p: { name: string }) => p.name).sort(), ['nowhere.example', 'www.nowhere.example']);
    assert.match(c.lastError, /nowhere\.example/);
    assert.ok(Math.abs(gap(c) - 60_000) < 5_000, `retry in ${gap(c)} ms`);
  });

  test('after four failures in a row the certificate is failing, tried again daily', async () => {
    for (const [failures, delay] of [[2, 600_000], [3, 6_000_000], [4, 86_400_000]] as const) {
      // the clock of the schedule is not waited for: the next attempt is made due now
      await m.manager.app.db.updateTable('certificates').set({ nextAttemptAt: new Date() }).where('siteId', '=', site.id).execute();
      const c = await until(`attempt ${failures}`, async () => {
        const x = await cert();
        return x.failures === failures && x;
      }, 60_000, 200);
      assert.ok(Math.abs(gap(c) - delay) < 5_000, `after ${failures} failures, retry in ${gap(c)} ms (expected ${delay})`);
      assert.equal(c.status, failures >= 4 ? 'failing' : 'pending');
    }
    const list = await m.api('GET', '/api/v1/certificates?status=failing');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((x: { domain: string }) => x.domain), ['nowhere.example']);
    assert.equal((await m.api('GET', '/api/v1/certificates', undefined, { token: customerToken })).status, 403);
  });

  test('asking for a renewal makes it due now and starts the schedule again', async () => {
    const r = await m.api('POST', `/api/v1/sites/${site.id}/certificate/renew`, undefined, { token: customerToken });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.failures, 0);
    const c = await until('attempt after renew', async () => {
      const x = await cert();
      return x.failures === 1 && x;
    }, 60_000, 200);
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
    const row = await m.manager.app.db.selectFrom('certificates').select('nextAttemptAt').where('siteId', '=', site.id).executeTakeFirstOrThrow();
    assert.equal(row.nextAttemptAt, null, 'the controller no longer works on it');
    assert.equal((await m.api('DELETE', `/api/v1/sites/${site.id}/certificate`)).body.code, 'certificate.not_custom');
    assert.equal((await m.api('POST', '/api/v1/certificates/platform/renew')).status, 404, 'no platform domain here');
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
