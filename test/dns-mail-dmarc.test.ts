// Integration (root, a real PowerDNS on loopback ports 27100–27101, asked with dig): with a DMARC report
// address (ABRI_DMARC_RUA) in the platform's own zone, every mail domain's _dmarc record asks for
// reports there and the platform's zone publishes the record by which it accepts them (RFC 7489 7.1),
// for domains of managed and external zones alike, removed with the mail domain (none for the report
// domain itself or a domain inside it or around it); the ManageSieve SRV
// record (RFC 5804) is served beside the others. With the report address in a domain no zone of Abri's
// holds, the authorisation record is listed to set instead, and the zone check keeps to the zone.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/dns-mail-dmarc.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { nodeLayout } from '../src/node/layout.js';
import { DnsDriver } from '../src/dns/apply-dns.js';
import { reportAuthName } from '../src/dns/mail-records.js';

const DNS = 27100;
const DNS_API = 27101;
const PORTS = 'smtp=25,submission=10587,smtps=10465,imap=143,imaps=10993,pop3=110,pop3s=10995,sieve=14190,replies=10026';
const missing = ['/usr/sbin/pdns_server', '/usr/bin/sqlite3', '/usr/bin/dig'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('PowerDNS and dig are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/dns-mail-dmarc.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

/** What PowerDNS answers for (name, type), one line per record, TXT strings joined; '' when nothing. */
const dig = (name: string, type: string): Promise<string> => new Promise((resolve, reject) => {
  execFile('dig', ['@127.0.0.1', '-p', String(DNS), '+short', '+time=2', '+tries=1', name, type], { timeout: 30_000 }, (err, stdout) => {
    if (err) return reject(err);
    resolve(stdout.trim().split('\n').filter(Boolean).map((l) => (type === 'TXT' ? [...l.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('') : l)).sort().join('\n'));
  });
});
const served = (name: string, type: string, want: string) => until(`${name} ${type} = ${JSON.stringify(want)}`, async () => (await dig(name, type)) === want, 30_000, 200);

type Rec = { name: string; type: string; content: string };

describe('DMARC reports and the ManageSieve SRV record, served by a real PowerDNS', { skip: missing.length > 0 }, () => {
  let m: TestManager;
  let agent: Agent | null = null;
  let root: string;
  let hostingId: string;

  before(async () => {
    root = await mkdtemp('/tmp/abri-mailrest-dmarc-');
    await chmod(root, 0o755);
    const settings = { ABRI_DNS_LISTEN: `127.0.0.1:${DNS}`, ABRI_DNS_API_PORT: String(DNS_API) };
    m = await startTestManager({ settings: { ...settings, ABRI_PLATFORM_DOMAIN: 'abri-dmarc.test', ABRI_DMARC_RUA: 'DMARC@abri-dmarc.test', ABRI_MAIL_PORTS: PORTS } });
    await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'ns-1', roles: ['dns'], addresses: ['127.0.0.1'] })).body;
    hostingId = (await seedHosting(m, { customer: 'Alpha' })).hosting.id;
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...settings });
    const log = pino({ level: process.env.DNS_TEST_LOG ?? 'silent' });
    const dns = new DnsDriver(new LocalExecutor(), config.node, nodeLayout(root), log);
    agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: 1000, waitMs: 2000, drivers: [dns] }).start();
  });

  after(async () => {
    await agent?.stop();
    const pdns = Number((await readFile(path.join(nodeLayout(root).pdnsRunDir, 'abri-pdns.pid'), 'utf8').catch(() => '')).trim());
    if (pdns > 0) process.kill(pdns, 'SIGTERM');
    await m?.close();
    await rm(root, { recursive: true, force: true });
  });

  const mailDomain = async (name: string) => {
    const r = await m.api('POST', `/api/v1/hostings/${hostingId}/mail-domains`, { name });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; dns: { managed: boolean; records: Rec[] } };
  };

  test('a managed zone: _dmarc asks for reports, the platform\'s zone accepts them, _sieve._tcp is served', async () => {
    assert.equal((await m.api('POST', `/api/v1/hostings/${hostingId}/sites`, { domain: 'dmarc-a.test' })).status, 201);
    const d = await mailDomain('dmarc-a.test');
    assert.equal(d.dns.managed, true);
    assert.ok(!d.dns.records.some((r) => r.name.includes('._report._dmarc.')), 'Abri publishes the authorisation itself');
    await served('_dmarc.dmarc-a.test', 'TXT', 'v=DMARC1; p=none; rua=mailto:dmarc@abri-dmarc.test');
    await served('dmarc-a.test._report._dmarc.abri-dmarc.test', 'TXT', 'v=DMARC1');
    await served('_sieve._tcp.dmarc-a.test', 'SRV', '0 1 14190 mail-1.abri-dmarc.test.');
    await served('_imaps._tcp.dmarc-a.test', 'SRV', '0 1 10993 mail-1.abri-dmarc.test.');
    // only the domains of the platform's mail: another domain's reports are not accepted
    assert.equal(await dig('not-ours.test._report._dmarc.abri-dmarc.test', 'TXT'), '');
  });

  test('an external zone: the record to set asks for reports; the platform\'s zone accepts them', async () => {
    assert.equal((await m.api('POST', `/api/v1/hostings/${hostingId}/sites`, { domain: 'dmarc-ext.test', dns: 'external' })).status, 201);
    const d = await mailDomain('dmarc-ext.test');
    assert.equal(d.dns.managed, false);
    const shown = d.dns.records.map((r) => `${r.name} ${r.type} ${r.content}`);
    assert.ok(shown.includes('_dmarc.dmarc-ext.test TXT v=DMARC1; p=none; rua=mailto:dmarc@abri-dmarc.test'), shown.join('\n'));
    assert.ok(shown.includes('_sieve._tcp.dmarc-ext.test SRV 0 1 14190 mail-1.abri-dmarc.test.'), shown.join('\n'));
    assert.ok(!shown.some((r) => r.includes('._report._dmarc.')), 'the report domain is Abri\'s: nothing to set for it');
    await served('dmarc-ext.test._report._dmarc.abri-dmarc.test', 'TXT', 'v=DMARC1');
  });

  test('a removed mail domain\'s reports are no longer accepted; the others\' still are', async () => {
    assert.equal((await m.api('DELETE', '/api/v1/mail-domains/dmarc-a.test')).status, 204);
    await served('dmarc-a.test._report._dmarc.abri-dmarc.test', 'TXT', '');
    await served('_dmarc.dmarc-a.test', 'TXT', '');
    assert.equal(await dig('dmarc-ext.test._report._dmarc.abri-dmarc.test', 'TXT'), 'v=DMARC1', 'the others\' stay');
  });
});

describe('a report address in a domain Abri does not serve', () => {
  let m: TestManager;
  before(async () => {
    m = await startTestManager({ settings: { ABRI_PLATFORM_DOMAIN: 'abri-dmarc2.test', ABRI_DMARC_RUA: 'mailto:reports@reports-elsewhere.test', ABRI_MAIL_PORTS: PORTS, ABRI_DNS_RESOLVER: '127.0.0.1:9' } });
  });
  after(() => m?.close());

  test('its authorisation record is listed to set, not checked with the customer\'s zone', async () => {
    await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] });
    const { hosting } = await seedHosting(m, { customer: 'Alpha' });
    for (const [domain, dns] of [['rua-a.test', 'managed'], ['rua-b.test', 'external']]) {
      assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain, dns })).status, 201);
      const d = await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: domain });
      assert.equal(d.status, 201, JSON.stringify(d.body));
      const shown = d.body.dns.records.map((r: Rec) => `${r.name} ${r.type} ${r.content}`);
      assert.ok(shown.includes(`_dmarc.${domain} TXT v=DMARC1; p=none; rua=mailto:reports@reports-elsewhere.test`), shown.join('\n'));
      assert.ok(shown.includes(`${domain}._report._dmarc.reports-elsewhere.test TXT v=DMARC1`), shown.join('\n'));
    }
    const check = (await m.api('GET', '/api/v1/zones/rua-b.test/check')).body;
    const required = check.required.map((r: Rec) => `${r.name} ${r.type} ${r.content}`);
    assert.ok(required.includes('_dmarc.rua-b.test TXT v=DMARC1; p=none; rua=mailto:reports@reports-elsewhere.test'), required.join('\n'));
    assert.ok(!required.some((r: string) => r.includes('._report._dmarc.')), required.join('\n'));
  });

  test('a report domain in a customer\'s zone: the authorisations are listed to set, never published in that zone', async () => {
    const m2 = await startTestManager({ settings: { ABRI_PLATFORM_DOMAIN: 'abri-dmarc3.test', ABRI_DMARC_RUA: 'reports@cust-reports.test', ABRI_MAIL_PORTS: PORTS, ABRI_DNS_RESOLVER: '127.0.0.1:9' } });
    try {
      await m2.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] });
      const { hosting } = await seedHosting(m2, { customer: 'Alpha' });
      for (const domain of ['cust-reports.test', 'cust-shop.test']) assert.equal((await m2.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain })).status, 201);
      const d = await m2.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: 'cust-shop.test' });
      assert.equal(d.status, 201, JSON.stringify(d.body));
      assert.ok(d.body.dns.records.some((r: Rec) => `${r.name} ${r.type} ${r.content}` === 'cust-shop.test._report._dmarc.cust-reports.test TXT v=DMARC1'));
      const zone = (await m2.api('GET', '/api/v1/zones/cust-reports.test/records?limit=200')).body.items as Rec[];
      assert.deepEqual(zone.filter((r) => r.name.includes('._report._dmarc.')), [], 'a customer\'s zone lists no other domains');
    } finally {
      await m2.close();
    }
  });

  test('no authorisation is needed for the report domain itself, nor a domain inside it or around it', () => {
    const rua = 'dmarc@reports.example';
    assert.equal(reportAuthName('shop.test', rua), 'shop.test._report._dmarc.reports.example');
    for (const same of ['reports.example', 'lists.reports.example']) assert.equal(reportAuthName(same, rua), null, same);
    assert.equal(reportAuthName('example', rua), null);
    assert.equal(reportAuthName('shop.test', null), null);
  });

  test('a malformed report address is refused with its key named', () => {
    const load = (rua: string) => loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_DMARC_RUA: rua });
    for (const bad of ['reports', 'a,b@example.net', 'x@not a domain', 'x!10m@example.net', 'x;p=reject@example.net']) assert.throws(() => load(bad), /ABRI_DMARC_RUA/, bad);
    assert.equal(load(' MailTo:Reports@Example.NET ').mail.dmarcRua, 'reports@example.net');
    assert.equal(load('').mail.dmarcRua, null);
  });
});
