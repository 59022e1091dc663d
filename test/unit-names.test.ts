import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRegistrable, defaultDocumentRoot, displayDomain, foldDomain, foldText, normaliseDocumentRoot, normaliseDomain, normaliseLabel, reservedPattern,
} from '../src/platform/names.js';
import { mixedScripts } from '../src/platform/scripts.js';
import { DEFAULT_RESERVED_LABELS, loadConfig } from '../src/platform/config.js';

test('domains are IDNA-normalised to lower-case ASCII', () => {
  assert.deepEqual(normaliseDomain('Example.ORG'), { ok: true, value: 'example.org' });
  assert.deepEqual(normaliseDomain('example.org.'), { ok: true, value: 'example.org' });
  assert.deepEqual(normaliseDomain('café.fr'), { ok: true, value: 'xn--caf-dma.fr' });
  assert.deepEqual(normaliseDomain('ÉCOLE.org'), { ok: true, value: 'xn--cole-9oa.org' });
  assert.deepEqual(normaliseDomain('xn--caf-dma.fr'), { ok: true, value: 'xn--caf-dma.fr' });
  assert.equal(displayDomain('xn--caf-dma.fr'), 'café.fr');
});

test('bad domains are rejected with a reason', () => {
  for (const bad of ['localhost', '1.2.3.4', '[::1]', '::1', 'a..b.org', '-a.org', 'a-.org', 'exa mple.org', 'a.org/x', 'x'.repeat(64) + '.org',
    'a.org:80', '*.example.org', '', ' ', 'example.org\n', 'ex\u0000.org', `${'a.'.repeat(127)}org`, 'under_score.org', '.org', 'example..']) {
    const r = normaliseDomain(bad);
    assert.equal(r.ok, false, `should reject ${JSON.stringify(bad)}`);
  }
});

test('labels that are not valid IDNA, or hold symbols, are refused (finding 4: xn--zz passed the API, not the edge)', () => {
  for (const bad of ['xn--zz.example.org', 'xn--a.example.org', 'xn--0.example.org', 'xn--abc.example.org', '♥.example.org', 'xn--g6h.example.org',
    'a\u200db.example.org', '😀.example.org', 'a\u202eb.example.org']) {
    const r = normaliseDomain(bad);
    assert.equal(r.ok, false, `should reject ${JSON.stringify(bad)}`);
    if (!r.ok) assert.ok(['domain.label_invalid', 'domain.invalid'].includes(r.code!), bad);
  }
});

test('labels mixing scripts are refused (UTS #39 highly restrictive); one script, and Latin with Han/Japanese/Korean, pass', () => {
  for (const bad of ['bѕecret.test', 'pаypal.example', 'gοogle.example', 'xn--becret-ivf.test', 'аpple.com']) {
    const r = normaliseDomain(bad);
    assert.equal(r.ok, false, `should reject ${bad}`);
    if (!r.ok) assert.equal(r.code, 'domain.mixed_scripts', bad);
  }
  for (const good of ['bücher.de', 'αβγ.gr', 'сайт.рф', 'пример.испытание', '例え.jp', 'ひらがなカタカナ漢字abc.jp', '中文abc.cn', '한국어abc.kr', 'l·l.cat',
    'ελληνικά-123.gr', 'crèche-les-lutins.fr', 'Ålesund.no']) {
    const r = normaliseDomain(good);
    assert.equal(r.ok, true, `should accept ${good}: ${JSON.stringify(r)}`);
  }
  // each label on its own: a Cyrillic label next to a Latin one is fine
  assert.equal(normaliseDomain('пример.example.org').ok, true);
  assert.deepEqual(mixedScripts('bѕecret'), ['Cyrl', 'Latn']);
  assert.equal(mixedScripts('漢字かなカナabc'), null);
  assert.equal(mixedScripts('中文ㄅㄆabc'), null);
  assert.ok(mixedScripts('한국어かな'), 'Hangul and Kana do not go together');
});

test('public suffixes and reserved names are nobody\'s; .test and .example stay usable', () => {
  for (const [name, code] of [['co.uk', 'domain.public_suffix'], ['github.io', 'domain.public_suffix'], ['blogspot.com', 'domain.public_suffix'],
    ['default.invalid', 'domain.reserved'], ['foo.invalid', 'domain.reserved'], ['my.localhost', 'domain.reserved'], ['printer.local', 'domain.reserved'],
    ['x.onion', 'domain.reserved'], ['1.in-addr.arpa', 'domain.reserved'], ['router.home.arpa', 'domain.reserved'], ['db.internal', 'domain.reserved']] as const) {
    const ascii = normaliseDomain(name);
    assert.ok(ascii.ok, name);
    const r = checkRegistrable(ascii.value);
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.equal(r.code, code, name);
  }
  for (const ok of ['example.co.uk', 'foo.github.io', 'alpha-site.test', 'docs.example', 'example.org', 'xn--caf-dma.fr']) assert.equal(checkRegistrable(ok).ok, true, ok);
});

test('a platform label is one label, IDNA-normalised like a host name\'s', () => {
  assert.deepEqual(normaliseLabel(' Asso '), { ok: true, value: 'asso' });
  assert.deepEqual(normaliseLabel('café'), { ok: true, value: 'xn--caf-dma' });
  for (const bad of ['xn--zz', 'xn--a', 'xn--0', 'xn--abc', 'a.b', '', '-a', 'a-', 'a'.repeat(64), 'a b', 'bѕecret', '♥', '_dmarc']) {
    assert.equal(normaliseLabel(bad).ok, false, `should reject ${JSON.stringify(bad)}`);
  }
  const mixed = normaliseLabel('bѕecret');
  assert.equal(mixed.ok ? null : mixed.code, 'label.mixed_scripts');
});

test('reserved labels: patterns with *, the defaults, and the platform\'s own names under its domain', () => {
  const patterns = DEFAULT_RESERVED_LABELS.split(',');
  for (const label of ['www', 'ns1', 'ns2', 'nsx', 'mail', 'mx30d', 'mx', 'webmail', 'status', 'manager', 'autoconfig', 'autodiscover', 'api', 'admin', 'panel', 'ftp', 'ssh']) {
    assert.ok(reservedPattern(label, patterns), label);
  }
  for (const label of ['statusmx30d', 'asso', 'wwwx', 'mailing-list', 'apiary']) assert.equal(reservedPattern(label, patterns), null, label);
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_PLATFORM_DOMAIN: 'web4me.test', ABRI_DNS_NAMESERVERS: 'dns-a.web4me.test,ns.other.test',
    ABRI_EDGE_HOSTNAME: 'edge.web4me.test', ABRI_PUBLIC_URL: 'https://console.web4me.test', ABRI_RESERVED_LABELS: 'foo*' });
  assert.deepEqual(config.reservedLabels, ['foo*', 'dns-a', 'edge', 'console', 'webmail']);
  assert.throws(() => loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_RESERVED_LABELS: 'a.b' }), /ABRI_RESERVED_LABELS/);
});

test('document roots stay inside var/www; letters of any script are safe', () => {
  assert.deepEqual(normaliseDocumentRoot('site/public/'), { ok: true, value: 'site/public' });
  assert.deepEqual(normaliseDocumentRoot(''), { ok: true, value: '' });
  assert.deepEqual(normaliseDocumentRoot('café-exemple.fr/public'), { ok: true, value: 'café-exemple.fr/public' });
  assert.deepEqual(normaliseDocumentRoot('cafe\u0301'), { ok: true, value: 'café' }, 'NFC: one directory whatever the keyboard sent');
  assert.equal(normaliseDocumentRoot('сайт/例え').ok, true);
  for (const bad of ['/etc', '../x', 'a/../b', 'a/./b', 'a//b', 'a b', 'a\nb', '~/../..', 'a/..', 'a"b', 'a\\b', 'a$b', 'a%b', 'a\u202eb', 'a\u200bb', '😀',
    'é'.repeat(130), '.hidden', 'a;b', 'a`b', "a'b"]) {
    assert.equal(normaliseDocumentRoot(bad).ok, false, `should reject ${JSON.stringify(bad)}`);
  }
});

test('the default document root is the domain as people read it', () => {
  assert.equal(defaultDocumentRoot('xn--caf-exemple-dbb.fr'), 'café-exemple.fr');
  assert.equal(defaultDocumentRoot('example.org'), 'example.org');
  assert.equal(defaultDocumentRoot('xn--crche-les-lutins-upb.fr'), 'crèche-les-lutins.fr');
});

test('folding for search and sort: Unicode, lower case, no accents', () => {
  assert.equal(foldDomain('xn--lan-9la.fr'), 'elan.fr');
  assert.equal(foldText('ÉLAN'), 'elan');
  assert.equal(foldText('Crèche'), 'creche');
  assert.equal(foldText('ﬁ'), 'fi');
});
