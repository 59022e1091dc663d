import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseDocumentRoot, normaliseDomain, displayDomain } from '../src/platform/names.js';

test('domains are IDNA-normalised to lower-case ASCII', () => {
  assert.deepEqual(normaliseDomain('Example.ORG'), { ok: true, value: 'example.org' });
  assert.deepEqual(normaliseDomain('example.org.'), { ok: true, value: 'example.org' });
  assert.deepEqual(normaliseDomain('café.fr'), { ok: true, value: 'xn--caf-dma.fr' });
  assert.deepEqual(normaliseDomain('ÉCOLE.org'), { ok: true, value: 'xn--cole-9oa.org' });
  assert.equal(displayDomain('xn--caf-dma.fr'), 'café.fr');
});

test('bad domains are rejected with a reason', () => {
  for (const bad of ['localhost', '1.2.3.4', '[::1]', '::1', 'a..b.org', '-a.org', 'a-.org', 'exa mple.org', 'a.org/x', 'x'.repeat(64) + '.org',
    'a.org:80', '*.example.org', '', ' ', 'example.org\n', 'ex\u0000.org', `${'a.'.repeat(127)}org`, 'under_score.org', '.org', 'example..']) {
    const r = normaliseDomain(bad);
    assert.equal(r.ok, false, `should reject ${JSON.stringify(bad)}`);
  }
});

test('document roots stay inside var/www', () => {
  assert.deepEqual(normaliseDocumentRoot('site/public/'), { ok: true, value: 'site/public' });
  assert.deepEqual(normaliseDocumentRoot(''), { ok: true, value: '' });
  for (const bad of ['/etc', '../x', 'a/../b', 'a/./b', 'a//b', 'a b', 'a\nb', '~/../..', 'a/..']) {
    assert.equal(normaliseDocumentRoot(bad).ok, false, `should reject ${JSON.stringify(bad)}`);
  }
});
