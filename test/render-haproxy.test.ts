// Golden-file tests of the HAProxy edge renderer (test/golden/haproxy/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeMapEntries, renderHaproxy } from '../src/edge/render-haproxy.js';
import type { EdgeSpec } from '../src/edge/spec.js';
import { goldenTests } from './harness/golden.js';

goldenTests('haproxy', (input: EdgeSpec) => renderHaproxy(input));

test('map entries follow httpsMode and suspension', () => {
  const spec: EdgeSpec = { revision: 1, configDir: '/e', runtimeSocket: '/e/s', bindAddress: '0.0.0.0', httpPort: 80, maxConnections: 100,
    manager: { address: '127.0.0.1', port: 8080 }, backends: [{ name: 'web1', address: '10.0.0.2', port: 80 }],
    hosts: [
      { host: 'b.example.org', backend: 'web1', httpsMode: 'redirect', suspended: true },
      { host: 'a.example.org', backend: 'web1', httpsMode: 'both', suspended: false },
    ] };
  assert.deepEqual(edgeMapEntries(spec), [['a.example.org', 'web_web1'], ['b.example.org', 'abri_suspended']]);
});

import { readFileSync } from 'node:fs';
import { partitionEdgeSpec } from '../src/edge/spec-checks.js';
import { renderCrtList } from '../src/edge/render-haproxy.js';
import { certificateServes } from '../src/agent/store-edge.js';

const tlsInput = () => JSON.parse(readFileSync(new URL('./golden/haproxy/tls-certificates/input.json', import.meta.url), 'utf8')) as EdgeSpec;

test('one host name or certificate the renderer refuses is left out alone; the rest renders', () => {
  const spec = tlsInput();
  spec.hosts.push({ host: 'xn--zz.example.org', backend: 'web1', httpsMode: 'both', suspended: false });
  spec.hosts.push({ host: 'both.example.org', backend: 'web2', httpsMode: 'both', suspended: false }); // listed twice
  spec.certificates!.push({ id: 'bad-cert', serves: ['ok.example.org', 'x y'] });
  const parts = partitionEdgeSpec(spec);
  assert.deepEqual([...parts.hosts.keys()].sort(), ['both.example.org', 'xn--zz.example.org']);
  assert.equal(parts.hosts.get('both.example.org')!.code, 'object.conflict');
  assert.match(parts.hosts.get('xn--zz.example.org')!.message, /xn--zz\.example\.org/);
  assert.doesNotMatch(parts.hosts.get('xn--zz.example.org')!.message, /both|plain|redirect/, 'names no other host');
  assert.deepEqual([...parts.certificates.keys()], ['bad-cert']);
  const map = edgeMapEntries(parts.spec).map(([h]) => h);
  assert.ok(map.includes('plain.example.org') && !map.includes('xn--zz.example.org'));
  assert.equal(edgeMapEntries(parts.spec).find(([h]) => h === 'both.example.org')![1], 'web_web1', 'the first owner keeps the name');
  assert.ok(!renderCrtList(parts.spec).content.includes('bad-cert'));
});

test('a certificate is bound to its site\'s current names, or to the platform\'s names for the platform certificate', () => {
  const site = ['shop.a.test', 'www.shop.a.test', 'shop.web4me.test'];
  // names of another customer (b.test) or of the platform wildcard are never served by a site certificate
  assert.deepEqual(certificateServes({ kind: 'site', names: ['shop.a.test', 'victim.b.test', '*.web4me.test'] }, site, 'web4me.test'), ['shop.a.test', 'shop.web4me.test']);
  assert.deepEqual(certificateServes({ kind: 'site', names: ['*.shop.a.test'] }, site, 'web4me.test'), ['www.shop.a.test']);
  assert.deepEqual(certificateServes({ kind: 'site', names: ['victim.b.test'] }, site, 'web4me.test'), [], 'serves nothing: not deployed');
  assert.deepEqual(certificateServes({ kind: 'site', names: ['shop.a.test'] }, null, 'web4me.test'), [], 'a certificate of no current site serves nothing');
  assert.deepEqual(certificateServes({ kind: 'platform', names: ['web4me.test', '*.web4me.test', 'victim.b.test'] }, null, 'web4me.test'), ['*.web4me.test', 'web4me.test']);
  assert.deepEqual(certificateServes({ kind: 'platform', names: ['*.web4me.test'] }, null, null), []);
});
