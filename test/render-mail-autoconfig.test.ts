// Mail clients' settings (src/mail/render-autoconfig.ts): golden files of Thunderbird's autoconfig and
// Outlook's autodiscover (test/golden/autoconfig/), XML escaping checked by a real XML parser
// (Python's), and which request gets which answer: an unknown domain, or a host name naming another
// domain than the address, gets 404 — never another domain's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { goldenTests } from './harness/golden.js';
import { autoconfigPorts } from '../src/platform/config-mail.js';
import { autoconfigAnswer, clientAddress, renderAutodiscover, renderThunderbird, xmlEscape, type ClientSetup } from '../src/mail/render-autoconfig.js';

goldenTests('autoconfig', (input: { setup: ClientSetup; email: string }) => [
  { path: 'config-v1.1.xml', content: renderThunderbird(input.setup), mode: 0o644 },
  { path: 'autodiscover.xml', content: renderAutodiscover(input.setup, input.email), mode: 0o644 },
]);

const ports = { smtp: 25, submission: 587, smtps: 465, imap: 143, imaps: 993, pop3: 110, pop3s: 995 };
const served = (domain: string): ClientSetup | null => (['example.org', 'shop.example.com'].includes(domain) ? { domain, host: 'mail-1.example.net', ports } : null);

/** Python's ElementTree: every element's text by local tag name, in document order. */
const parsed = (xml: string): Array<[string, string]> => JSON.parse(execFileSync('python3', ['-c', `
import sys, json, xml.etree.ElementTree as ET
print(json.dumps([[e.tag.split('}')[-1], (e.text or '').strip()] for e in ET.fromstring(sys.stdin.read().encode()).iter()]))
`], { input: xml }).toString());

test('XML escaping: what a client sends comes back as the same text, never as markup', () => {
  assert.equal(xmlEscape(`a&b<c>"d'e`), 'a&amp;b&lt;c&gt;&quot;d&apos;e');
  assert.throws(() => xmlEscape('a\u0000b'), /control character/);
  const email = `o'neil&<co>"x@example.org`;
  const tags = parsed(renderAutodiscover(served('example.org')!, email));
  assert.deepEqual(tags.filter(([t]) => t === 'LoginName').map(([, v]) => v), [email, email, email]);
  assert.deepEqual(tags.filter(([t]) => t === 'Server').map(([, v]) => v), ['mail-1.example.net', 'mail-1.example.net', 'mail-1.example.net']);
  assert.deepEqual(tags.filter(([t]) => t === 'Port').map(([, v]) => v), ['993', '995', '465']);
  const tb = parsed(renderThunderbird(served('shop.example.com')!));
  assert.deepEqual(tb.filter(([t]) => t === 'port').map(([, v]) => v), ['993', '143', '995', '110', '465', '587']);
  assert.deepEqual(tb.filter(([t]) => t === 'domain').map(([, v]) => v), ['shop.example.com']);
});

test('which request gets which answer', () => {
  const ask = (r: Partial<Parameters<typeof autoconfigAnswer>[0]>) => autoconfigAnswer({ method: 'GET', path: '/mail/config-v1.1.xml', host: 'autoconfig.example.org', emailaddress: null, body: '', ...r }, served);
  const tb = ask({ emailaddress: 'joe@EXAMPLE.org' });
  assert.equal(tb.status, 200);
  assert.match(tb.body, /<domain>example\.org<\/domain>/);
  assert.equal(ask({}).status, 200, 'the host name says the domain');
  assert.equal(ask({ path: '/.well-known/autoconfig/mail/config-v1.1.xml', host: 'example.org' }).status, 200);
  assert.equal(ask({ host: 'mail-1.example.net', emailaddress: 'ann@shop.example.com' }).status, 200, 'at the mail host, the address says the domain');
  assert.match(ask({ host: 'mail-1.example.net', emailaddress: 'ann@shop.example.com' }).body, /<domain>shop\.example\.com<\/domain>/);
  // never another domain's: an unknown domain, or a host naming another served domain than the address
  for (const r of [{ emailaddress: 'x@unknown.example' }, { host: 'autoconfig.unknown.example' }, { host: 'autoconfig.shop.example.com', emailaddress: 'joe@example.org' }, { host: 'mail-1.example.net' }, { path: '/other' }]) {
    assert.equal(ask(r).status, 404, JSON.stringify(r));
  }
  assert.equal(ask({ emailaddress: 'not an address' }).status, 400);
  assert.equal(ask({ emailaddress: 'a<b>@example.org' }).status, 400);
  const body = (email: string) => `<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>${email}</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
  for (const path of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
    const r = ask({ method: 'POST', path, host: 'autodiscover.example.org', body: body('joe@example.org') });
    assert.equal(r.status, 200, path);
    assert.match(r.body, /<LoginName>joe@example\.org<\/LoginName>/);
  }
  assert.equal(ask({ method: 'POST', path: '/autodiscover/autodiscover.xml', host: 'autodiscover.example.org', body: body('joe@shop.example.com') }).status, 404);
  assert.equal(ask({ method: 'POST', path: '/autodiscover/autodiscover.xml', host: 'autodiscover.example.org', body: '<Autodiscover/>' }).status, 400);
  assert.equal(ask({ method: 'GET', path: '/autodiscover/autodiscover.xml', host: 'autodiscover.example.org' }).status, 405);
  assert.deepEqual(clientAddress(' Joe.Smith@Example.ORG '), { email: 'Joe.Smith@example.org', domain: 'example.org' });
  assert.equal(clientAddress('joe@-bad-.example'), null);
});

test('ABRI_MAIL_AUTOCONFIG_PORTS: http=PORT,https=PORT, either, or none', () => {
  assert.deepEqual(autoconfigPorts('http=80,https=443'), { http: 80, https: 443 });
  assert.deepEqual(autoconfigPorts(' https=8443 '), { http: null, https: 8443 });
  assert.deepEqual(autoconfigPorts(''), { http: null, https: null });
  for (const bad of ['http=80,http=81', 'http=0', 'ftp=21', 'http=80,https=80', 'http=99999', 'http=8o']) {
    assert.throws(() => autoconfigPorts(bad), (e: Error & { code?: string }) => e.code === 'config.invalid', bad);
  }
});
