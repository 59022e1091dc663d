// Property (issue 9, finding 4a): the API accepts exactly what the renderers accept. Generated names
// (ASCII, xn-- labels valid or not, Unicode of many scripts, mixed scripts, symbols, lengths at the
// limits) go through the API's own schemas; whatever they accept must render through every
// renderer: Apache vhosts and FPM pools (domain, aliases, document root), HAProxy (every host name,
// platform names included), the DNS zone file and the bulk SQL (zone, owner names, contents).
// Then the same through the real API: accepted sites → the desired state the manager hands its
// agents → every renderer, without one error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { siteCreate } from '../src/hosting/model.js';
import { recordCreate } from '../src/dns/model.js';
import { claimCreate } from '../src/dns/model-claims.js';
import { zoneCreate } from '../src/dns/model.js';
import { normaliseDomain, siteNamesOf } from '../src/platform/names.js';
import { registeredDomain } from '../src/dns/names.js';
import { renderApacheVhosts } from '../src/hosting/render-apache-vhost.js';
import { renderFpm } from '../src/hosting/render-fpm-pool.js';
import { renderHaproxy } from '../src/edge/render-haproxy.js';
import { renderZoneFile } from '../src/dns/render-pdns.js';
import { renderBulkSql } from '../src/dns/render-bulk.js';
import { checkRecord } from '../src/dns/rules.js';
import { managedRrsets, zoneRrsets, type ZoneContentInput } from '../src/dns/zone-content.js';
import { toPdns } from '../src/dns/zone-diff.js';
import type { WebNodeSpec } from '../src/hosting/spec.js';
import type { EdgeSpec } from '../src/edge/spec.js';
import { loadConfig } from '../src/platform/config.js';
import { nodeLayout } from '../src/node/layout.js';
import { webNodeSpec } from '../src/hosting/node-spec.js';
import { edgeSpec } from '../src/edge/node-spec.js';
import { buildDesiredState } from '../src/agent/store.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { pglite } from './helpers/databases.js';

const PLATFORM = 'abri-hosting.test';
const runs = Number(process.env.ABRI_PROP_RUNS ?? 0) || 1500;

// ---- generators ----
const tricky = ['xn--zz', 'xn--a', 'xn--0', 'xn--abc', 'xn--caf-dma', 'xn--', 'xn--nxasmq6b', 'xn--becret-ivf', 'ß', 'ﬁ', 'İ', 'ǅ', 'ⅷ', '①', '٣', 'ـ',
  'l·l', '・', '\u200d', '\u200c', '\u0301', 'a\u0301', '\u202e', '\ufeff', '\u00ad', '-', '--', 'a--b', '_', '*', '@', '%', '"', "'", '\\', '$', ' '];
const unicodeLetters = ['é', 'è', 'ü', 'ø', 'å', 'ñ', 'ç', 'ß', 'ѕ', 'а', 'о', 'р', 'с', 'α', 'β', 'ο', 'ν', 'ה', 'ש', 'ع', 'ب', 'क', 'ि', '漢', '字', 'か',
  'カ', 'ㄅ', '한', 'ก', 'ა', 'ሀ', '😀', '♥', '·', '0', '1', 'a', 'b', 'z', '-'];
const scripts = ['éèüøåñçßa-', 'абвгдеѕ-', 'αβγδεοκ-', 'אבגדהש', 'عبتث', 'कखगि', '漢字かカ', '한국어', 'กขค', 'აბგ'];
const asciiLabel = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}[a-z0-9]$/);
const unicodeLabel = fc.array(fc.constantFrom(...unicodeLetters), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
const oneScriptLabel = fc.constantFrom(...scripts).chain((alphabet) => fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 12 }))
  .map((a) => a.join('').replace(/^-+|-+$/g, '') || 'x');
const longLabel = fc.integer({ min: 55, max: 70 }).map((n) => 'a'.repeat(n));
const label = fc.oneof(
  { weight: 6, arbitrary: asciiLabel },
  { weight: 4, arbitrary: oneScriptLabel },
  { weight: 2, arbitrary: unicodeLabel },
  { weight: 2, arbitrary: fc.constantFrom(...tricky) },
  { weight: 1, arbitrary: asciiLabel.map((l) => `xn--${l}`) },
  { weight: 1, arbitrary: longLabel },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
);
const tld = fc.constantFrom('org', 'fr', 'test', 'example', 'co.uk', 'github.io', 'invalid', 'local', 'xn--p1ai', 'рф', 'com', '1', 'ck');
const domain = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map(([ls, t]) => [...ls, t].join('.')) },
  { weight: 1, arbitrary: fc.integer({ min: 3, max: 5 }).map((n) => `${Array.from({ length: n }, () => 'a'.repeat(62)).join('.')}.org`) },
  { weight: 1, arbitrary: fc.tuple(label, tld).map(([l, t]) => `${l}.${t}.`) },
);
const docroot = fc.oneof(
  fc.array(fc.oneof(unicodeLabel, asciiLabel, fc.constantFrom(...tricky, '..', '.', '.x', 'a.b')), { minLength: 0, maxLength: 3 }).map((a) => a.join('/')),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
const recordName = fc.oneof(fc.constantFrom('@', '', '*', '_dmarc', '_sip._tcp', 'www', '*.x', 'a.*'), label, fc.tuple(label, label).map(([a, b]) => `${a}.${b}`));
const recordInput = fc.oneof(
  fc.record({ type: fc.constant('A'), content: fc.constantFrom('192.0.2.1', '0.0.0.0', '300.1.1.1', ' 192.0.2.9 ') }),
  fc.record({ type: fc.constant('AAAA'), content: fc.constantFrom('2001:DB8::1', '::ffff:1.2.3.4', '2001:db8:0:0:0:0:0:1', 'fe80::1%eth0') }),
  fc.record({ type: fc.constantFrom('CNAME', 'NS'), content: domain }),
  fc.record({ type: fc.constantFrom('CNAME', 'NS'), content: fc.tuple(label, fc.constantFrom('org', 'net', 'fr')).map(([l, t]) => `${l}.example.${t}`) }),
  fc.record({ type: fc.constant('MX'), content: fc.tuple(fc.integer({ min: -1, max: 70000 }), domain).map(([p, d]) => `${p} ${d}`) }),
  fc.record({ type: fc.constant('SRV'), content: fc.tuple(fc.nat(70000), domain).map(([p, d]) => `${p} 5 ${p} ${d}`) }),
  fc.record({ type: fc.constant('TXT'), content: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('"a" "b"', '"\\"', '"x', '"$ORIGIN evil."')) }),
  fc.record({ type: fc.constant('CAA'), content: fc.constantFrom('0 issue "letsencrypt.org"', '0 issue ";"', '128 iodef "mailto:a@b.c"', '0 issue "a\\"b"', '0 tag x') }),
);

// ---- renderer inputs ----
const webTemplate = JSON.parse(readFileSync(new URL('./golden/apache/one-hosting-one-site/input.json', import.meta.url), 'utf8')) as WebNodeSpec;
const webSpec = (site: { domain: string; aliases: string[]; documentRoot: string }): WebNodeSpec => ({
  ...webTemplate,
  hostings: [{ ...webTemplate.hostings[0]!, sites: [{ id: 's1', domain: site.domain, aliases: site.aliases, documentRoot: site.documentRoot, phpVersion: '8.2', status: 'active', php: webTemplate.hostings[0]!.sites[0]!.php }] }],
});
const edgeSpecOf = (hosts: string[]): EdgeSpec => ({
  revision: 1, configDir: '/etc/abri/edge', runtimeSocket: '/run/abri/edge.sock', bindAddress: '0.0.0.0', httpPort: 80, httpsPort: 443, certificates: [], maxConnections: 100,
  manager: { address: '127.0.0.1', port: 8080 }, backends: [{ name: 'web1', address: '10.0.0.2', port: 8081 }],
  hosts: hosts.map((host) => ({ host, backend: 'web1', httpsMode: 'both' as const, suspended: false, tls: false })),
});
const zoneInput = (zone: string, o: Partial<ZoneContentInput> = {}): ZoneContentInput => ({
  zone, platform: false, edgeRecords: true, nameservers: ['ns1.abri-dns.test', 'ns2.abri-dns.test'], hostmaster: 'hostmaster.abri-dns.test', ttl: 3600, edgeTtl: 300,
  edgeAddresses: ['192.0.2.10', '2001:db8::10'], siteNames: [], records: [], acme: [], ...o,
});

/** Renders everything a site's names reach; throws what a renderer refused. */
function renderSite(site: { domain: string; aliases: string[]; documentRoot: string; platformLabel: string | null }) {
  const names = siteNamesOf(site, PLATFORM);
  const web = webSpec({ ...site, aliases: names.slice(1) });
  renderApacheVhosts(web);
  renderFpm(web);
  renderHaproxy(edgeSpecOf(names));
  for (const name of [site.domain, ...site.aliases]) {
    const zone = registeredDomain(name);
    if (zone) renderZoneFile(zone, zoneRrsets(zoneInput(zone, { siteNames: [name] })));
  }
  if (site.platformLabel) renderZoneFile(PLATFORM, zoneRrsets(zoneInput(PLATFORM, { platform: true })));
}

test(`${runs} generated sites: whatever the API's schemas accept, every renderer renders`, (t) => {
  let accepted = 0;
  const aliasesArb = fc.oneof({ weight: 3, arbitrary: fc.constant([] as string[]) }, { weight: 2, arbitrary: fc.array(domain, { maxLength: 2 }) });
  fc.assert(fc.property(domain, aliasesArb, fc.option(label, { freq: 2 }), fc.option(docroot, { freq: 2 }), (d, aliases, platformLabel, documentRoot) => {
    const parsed = siteCreate.safeParse({ domain: d, aliases, platformSubdomain: platformLabel, ...(documentRoot === null ? {} : { documentRoot }) });
    if (!parsed.success) return;
    const site = parsed.data;
    // the operation's own checks (platform/names.ts): the full platform name is a host name
    if (site.platformSubdomain && !normaliseDomain(`${site.platformSubdomain}.${PLATFORM}`).ok) return;
    accepted++;
    renderSite({ domain: site.domain, aliases: [...new Set(site.aliases)].filter((a) => a !== site.domain), documentRoot: site.documentRoot ?? site.domain, platformLabel: site.platformSubdomain ?? null });
  }), { numRuns: runs, seed: 0x4a11 });
  t.diagnostic(`${accepted} of ${runs} generated sites accepted and rendered`);
  assert.ok(accepted > runs / 20, `only ${accepted} of ${runs} generated sites were accepted: the generators are too hostile`);
});

test(`${runs} generated records: whatever the records API accepts, the zone file and the bulk path render`, (t) => {
  let accepted = 0;
  const zoneName = fc.tuple(label, fc.constantFrom('org', 'fr', 'test', 'co.uk', 'рф', 'github.io')).map(([l, t]) => `${l}.${t}`);
  fc.assert(fc.property(zoneName, recordName, recordInput, (z, name, r) => {
    const zone = zoneCreate.safeParse({ name: z });
    if (!zone.success || registeredDomain(zone.data.name) !== zone.data.name) return;
    const body = recordCreate.safeParse({ name, ...r });
    if (!body.success) return;
    const input = zoneInput(zone.data.name, { siteNames: [zone.data.name] });
    let record;
    try {
      record = checkRecord({ name: zone.data.name }, body.data, null, [], managedRrsets(input), 3600);
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('record.')) return; // refused by the API
      throw e;
    }
    accepted++;
    const rrsets = zoneRrsets({ ...input, records: [record] });
    renderZoneFile(zone.data.name, rrsets);
    const bulk = rrsets.filter((s) => ['A', 'AAAA', 'TXT'].includes(s.type)).map((s) => ({ ...toPdns(s), changetype: 'REPLACE' as const }));
    if (bulk.length) renderBulkSql([{ zone: zone.data.name, serial: 1, soa: rrsets.find((s) => s.type === 'SOA')!.records[0]!, changes: bulk }], new Date(0));
  }), { numRuns: runs, seed: 0x4a12 });
  t.diagnostic(`${accepted} of ${runs} generated records accepted and rendered`);
  assert.ok(accepted > runs / 20, `only ${accepted} of ${runs} generated records were accepted`);
});

test('the names of finding 4 are refused at the API (they were accepted, and the edge refused them)', () => {
  for (const platformSubdomain of ['xn--zz', 'xn--a', 'xn--0', 'xn--abc']) {
    assert.equal(siteCreate.safeParse({ domain: 'ok.example.org', platformSubdomain }).success, false, platformSubdomain);
  }
  for (const name of ['co.uk', 'github.io', 'default.invalid', 'bѕecret.test']) {
    assert.equal(siteCreate.safeParse({ domain: name }).success, false, name);
    assert.equal(zoneCreate.safeParse({ name }).success, false, name);
    assert.equal(claimCreate.safeParse({ name }).success, false, name);
  }
});

test('through the real API: accepted sites reach every renderer through the desired state', async (t) => {
  const m = await startTestManager({ database: pglite, settings: { ABRI_PLATFORM_DOMAIN: PLATFORM, ABRI_DNS_NAMESERVERS: 'ns1.abri-dns.test,ns2.abri-dns.test' } });
  t.after(() => m.close());
  const server = (await m.api('POST', '/api/v1/servers', { name: 'all-in-one', roles: ['web', 'edge', 'dns'], addresses: ['192.0.2.10'] })).body;
  const { hosting } = await seedHosting(m, { offer: { maxSites: 1000 } });
  await m.api('PATCH', `/api/v1/hostings/${hosting.id}`, { serverId: server.id });
  const samples = fc.sample(fc.tuple(domain, fc.oneof(fc.constant([] as string[]), fc.array(domain, { maxLength: 2 })), fc.option(label, { freq: 2 }), fc.option(docroot, { freq: 2 })), { numRuns: 250, seed: 0x4a13 });
  let created = 0;
  for (const [d, aliases, platformSubdomain, documentRoot] of samples) {
    const r = await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: d, aliases, platformSubdomain, ...(documentRoot === null ? {} : { documentRoot }) });
    assert.ok(r.status < 500, `${r.status} ${JSON.stringify(r.body)}`);
    if (r.status === 201) created++;
  }
  t.diagnostic(`${created} of ${samples.length} sites created through the API`);
  assert.ok(created >= 10, `only ${created} sites were created`);
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_PLATFORM_DOMAIN: PLATFORM });
  const state = await buildDesiredState(m.manager.app.db, { platformDomain: PLATFORM, dns: m.manager.app.config.dns, mail: m.manager.app.config.mail, apacheInstances: 1 }, server.id);
  const layout = nodeLayout('/srv/node');
  const web = webNodeSpec(state, { ...config.node, fpm: { '8.2': '/usr/sbin/php-fpm8.2' } }, layout);
  assert.equal(web.hostings[0]?.sites.length, created);
  renderApacheVhosts(web);
  renderFpm(web);
  const edge = edgeSpec(state, config.node, layout, { address: '127.0.0.1', port: 8080 });
  assert.ok(edge.hosts.length >= created);
  renderHaproxy(edge);
  for (const z of state.dns!.zones) renderZoneFile(z.name, z.rrsets);
});
