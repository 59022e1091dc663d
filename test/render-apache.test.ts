// Golden-file tests of the Apache renderers (test/golden/apache/): main config + sites/.
import { renderApacheMain } from '../src/hosting/render-apache-main.js';
import { renderApacheVhosts } from '../src/hosting/render-apache-vhost.js';
import type { WebNodeSpec } from '../src/hosting/spec.js';
import { goldenTests } from './harness/golden.js';

goldenTests('apache', (input: WebNodeSpec) => [...renderApacheMain(input), ...renderApacheVhosts(input).map((f) => ({ ...f, path: `sites/${f.path}` }))]);

// One tenant's object never blocks another's: partitionWebSpec leaves out only what cannot be rendered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { partitionWebSpec } from '../src/hosting/spec-checks.js';
import { renderFpm } from '../src/hosting/render-fpm-pool.js';

const golden = (name: string) => JSON.parse(readFileSync(new URL(`./golden/apache/${name}/input.json`, import.meta.url), 'utf8')) as WebNodeSpec;

test('a site whose alias cannot be rendered is left out alone; its hosting and everybody else render', () => {
  const spec = golden('two-hostings-aliases-php-versions');
  const [a, b] = spec.hostings;
  a!.sites[0]!.aliases.push('xn--zz.example.net');
  const parts = partitionWebSpec(spec);
  assert.deepEqual([...parts.hostings.keys()], []);
  assert.deepEqual([...parts.sites.keys()], [a!.sites[0]!.id]);
  const p = parts.sites.get(a!.sites[0]!.id)!;
  assert.equal(p.code, 'render.invalid');
  assert.match(p.message, /xn--zz\.example\.net/);
  for (const other of [...a!.sites.slice(1), ...b!.sites]) assert.doesNotMatch(p.message, new RegExp(other.domain.replace(/\./g, '\\.')), 'names no other site');
  const files = renderApacheVhosts(parts.spec).map((f) => f.path);
  assert.ok(!files.some((f) => f.includes(a!.sites[0]!.domain)), 'the bad site has no vhost');
  assert.ok(files.some((f) => f.includes(b!.sites[0]!.domain)), 'the other hosting\'s site still renders');
  assert.deepEqual(parts.spec.hostings.find((h) => h.id === a!.id)?.sites.map((s) => s.id), a!.sites.slice(1).map((s) => s.id), 'its hosting keeps its other sites');
  assert.ok(renderFpm(parts.spec).some((f) => f.path.endsWith(`${b!.name}.conf`)), 'the other hosting keeps its pool');
});

test('a hosting whose own fields cannot be rendered is left out with its sites; a name taken twice keeps its first owner', () => {
  const spec = golden('two-hostings-aliases-php-versions');
  const [a, b] = spec.hostings;
  a!.home = '/home/../etc';
  const parts = partitionWebSpec(spec);
  assert.deepEqual([...parts.hostings.keys()], [a!.id]);
  assert.match(parts.hostings.get(a!.id)!.message, /home of h100001/);
  assert.deepEqual(parts.spec.hostings.map((h) => h.id), [b!.id]);

  const dup = golden('two-hostings-aliases-php-versions');
  dup.hostings[1]!.sites[0]!.aliases.push(dup.hostings[0]!.sites[0]!.domain);
  const applied = partitionWebSpec(dup, new Set([dup.hostings[0]!.id]));
  const refused = applied.sites.get(dup.hostings[1]!.sites[0]!.id)!;
  assert.equal(refused.code, 'object.conflict');
  assert.equal(refused.message, `host name ${dup.hostings[0]!.sites[0]!.domain} is already used by another site on this server`);
  assert.equal(applied.spec.hostings[0]!.sites.length, dup.hostings[0]!.sites.length, 'the first owner keeps its site');
});

test('the node\'s own settings are nobody\'s object: a refusal there throws', () => {
  const spec = golden('two-hostings-aliases-php-versions');
  spec.apache.extraDirectives = ['Bad\nline'];
  assert.throws(() => partitionWebSpec(spec), /extra Apache directive/);
});
