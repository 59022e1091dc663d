// Integration (root; a real Postfix and Dovecot run by the mail server's agent on loopback ports
// 25500–25506, a sink for the world on 25507, autoconfig on 25508 (HTTP) and 25509 (HTTPS); uids
// 66800–66899): what mail clients use beside the mailbox's password.
// - A new mailbox changes only the lookup tables and password files: Postfix and Dovecot reload
//   without running their checks (`postfix check`, `doveconf -n`: they read neither), and it receives mail.
// - App passwords: one reads IMAP and submits mail; revoked, it is refused (IMAP and SMTP) while the
//   main password and the other app passwords go on; a disabled mailbox's app passwords are refused;
//   another customer's password or API calls never reach them.
// - Autoconfig/autodiscover, asked from outside with curl (--resolve, as a client that followed the
//   autoconfig./autodiscover. CNAMEs): the XML parses and names the mail host and the ports the
//   server listens on; an unknown domain or a host naming another domain gets 404.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-mail-clients.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { seedHosting } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { auth, missingMailTools, run, smtp, startMailAgent, type MailAgent } from './helpers/mail-agent.js';

const PORTS = { smtp: 25500, submission: 25501, smtps: 25502, imap: 25503, imaps: 25504, pop3: 25505, pop3s: 25506, sieve: 25513, replies: 25514 };
const [SINK, HTTP, HTTPS] = [25507, 25508, 25509];
const missing = [...missingMailTools(), ...(existsSync('/usr/bin/curl') ? [] : ['/usr/bin/curl'])];
if (missing.length && process.env.CI === 'true') test('Postfix, Dovecot and the clients are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-mail-clients.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

/** Python's ElementTree: [tag, text] of every element, in document order. */
const parsed = (xml: string): Array<[string, string]> => JSON.parse(execFileSync('python3', ['-c', `
import sys, json, xml.etree.ElementTree as ET
print(json.dumps([[e.tag.split('}')[-1], (e.text or '').strip()] for e in ET.fromstring(sys.stdin.read().encode()).iter()]))
`], { input: xml }).toString());
const texts = (xml: string, tag: string) => parsed(xml).filter(([t]) => t === tag).map(([, v]) => v);

/** curl as a client that resolved <name> to the mail server: [status, body] */
async function curl(scheme: 'http' | 'https', name: string, path: string, body?: string): Promise<[number, string]> {
  const port = scheme === 'http' ? HTTP : HTTPS;
  const r = await run('curl', ['-sS', '-k', '--max-time', '20', '--resolve', `${name}:${port}:127.0.0.1`, '-o', '-', '-w', '\n%{http_code}',
    ...(body === undefined ? [] : ['-X', 'POST', '-H', 'content-type: text/xml', '--data-binary', body]), `${scheme}://${name}:${port}${path}`]);
  assert.equal(r.code, 0, r.stderr);
  const i = r.stdout.lastIndexOf('\n');
  return [Number(r.stdout.slice(i + 1)), r.stdout.slice(0, i)];
}

describe('mail clients on a real Postfix and Dovecot: app passwords, autoconfig and autodiscover', { skip: missing.length > 0 }, () => {
  let ma: MailAgent;
  const joe = { id: '', address: '', password: '' };
  const bob = { id: '', address: '', password: '' };
  const apps: Record<string, { id: string; password: string }> = {};
  const api = (method: string, path: string, body?: unknown) => ma.m.api(method, path, body);
  /** the mailbox is live at the latest revision (its app passwords applied) */
  const applied = async (id: string) => {
    const before = (await api('GET', `/api/v1/mailboxes/${id}`)).body.provisioning;
    assert.notEqual(before.status, 'error', JSON.stringify(before));
    await ma.live('mailboxes', id);
  };
  const imapOk = async (user: string, password: string) => {
    const r = await ma.read('imap', user, password);
    assert.ok(r.bodies, `${user} signs in: ${r.error}`);
    return r.bodies!;
  };
  /**
   * Submission refuses the password (535). Right after a Dovecot reload, a Postfix smtpd process that
   * kept its connection to the old auth process answers once 454 (temporary): asked again.
   */
  const smtpRefused = (user: string, password: string, body: string) => until(`${body}: 535`, async () => {
    const r = await smtp(PORTS.submission, user, 'friend@world.example', ['-tls', ...auth(user, password), '--body', body]);
    assert.doesNotMatch(r.stdout, /<~  250 2\.0\.0 Ok: queued/, 'accepted');
    return /535 5\.7\.8/.test(r.stdout);
  });
  const imapRefused = async (user: string, password: string) => assert.match((await ma.read('imap', user, password)).error ?? '', /AUTHENTICATIONFAILED/);

  before(async () => {
    ma = await startMailAgent({
      name: 'autoconf-mail', ports: PORTS, sink: SINK, prefix: 'acf', uids: [66800, 66899],
      settings: { ABRI_MAIL_AUTOCONFIG_PORTS: `http=${HTTP},https=${HTTPS}`, ABRI_PLATFORM_DOMAIN: 'apps.abri.test' },
    });
    for (const [k, customer, box] of [['a', 'Alpha', joe], ['b', 'Bravo', bob]] as const) {
      const h = (await seedHosting(ma.m, { customer, offer: { maxMailboxes: 2, mailMb: 20 } })).hosting;
      assert.equal((await api('POST', `/api/v1/hostings/${h.id}/sites`, { domain: `mail.${k}-apps.example` })).status, 201);
      assert.equal((await api('POST', `/api/v1/hostings/${h.id}/mail-domains`, { name: `mail.${k}-apps.example` })).status, 201);
      const password = `pw-${k}-${Math.random().toString(36).slice(2)}`;
      const r = await api('POST', `/api/v1/mail-domains/mail.${k}-apps.example/mailboxes`, { localPart: k === 'a' ? 'joe' : 'bob', quotaMb: 5, password });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      Object.assign(box, { id: r.body.id, address: r.body.address, password });
      await ma.live('mailboxes', r.body.id);
    }
  });

  after(async () => {
    await ma?.close();
  });

  test('a new mailbox changes only tables: Postfix and Dovecot reload without their checks, and it receives mail', async () => {
    const line = (c: string[]) => c.join(' ');
    const checks = (c: string) => /^postfix -c \S+ check$/.test(c) || /^doveconf -c \S+ -n$/.test(c);
    // the first apply wrote their settings: both checked then
    assert.equal(ma.ran.map(line).filter(checks).length >= 2, true, ma.ran.map(line).join('\n'));
    const from = ma.ran.length;
    const password = `pw-ann-${Math.random().toString(36).slice(2)}`;
    const r = await api('POST', '/api/v1/mail-domains/mail.a-apps.example/mailboxes', { localPart: 'ann', quotaMb: 5, password });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await ma.live('mailboxes', r.body.id);
    const ran = ma.ran.slice(from).map(line);
    assert.deepEqual(ran.filter(checks), [], ran.join('\n'));
    assert.ok(ran.some((c) => /^postfix -c \S+ reload$/.test(c)) && ran.some((c) => /^dovecot -c \S+ reload$/.test(c)), ran.join('\n'));
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', r.body.address, ['--body', 'hello ann'])).code, 0);
    await until('the message read by ann', async () => (await imapOk(r.body.address, password)).some((b) => b.includes('hello ann')));
  });

  test('an app password reads IMAP and submits mail, as the mailbox\'s address', async () => {
    for (const name of ['Phone', 'Laptop']) {
      const r = await api('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      apps[name] = r.body;
    }
    await applied(joe.id);
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', joe.address, ['--body', 'hello joe, read with an app password'])).code, 0);
    await until('the message read with the Phone app password', async () => (await imapOk(joe.address, apps.Phone!.password)).some((b) => b.includes('read with an app password')));
    const pop = await ma.read('pop3', joe.address, apps.Laptop!.password);
    assert.ok(pop.bodies?.some((b) => b.includes('read with an app password')), JSON.stringify(pop));
    const sent = await smtp(PORTS.submission, joe.address, 'friend@world.example', ['-tls', ...auth(joe.address, apps.Laptop!.password), '--body', 'sent with the laptop app password']);
    assert.equal(sent.code, 0, sent.stdout);
    await until('the message at the sink', async () => ma.relayed.some((l) => l.includes('sent with the laptop app password')));
    await imapOk(joe.address, joe.password);
    // an app password is joe's only: not bob's, nor a way into bob's mailbox
    await imapRefused(bob.address, apps.Phone!.password);
    await imapRefused(`${bob.address}*${joe.address}`, apps.Phone!.password);
  });

  test('a revoked app password is refused (IMAP, SMTP); the main password and the other app password go on', async () => {
    assert.equal((await ma.m.api('DELETE', `/api/v1/app-passwords/${apps.Phone!.id}`)).status, 204);
    await applied(joe.id);
    await until('the Phone password refused', async () => /AUTHENTICATIONFAILED/.test((await ma.read('imap', joe.address, apps.Phone!.password)).error ?? ''));
    await smtpRefused(joe.address, apps.Phone!.password, 'revoked phone');
    await imapOk(joe.address, joe.password);
    await imapOk(joe.address, apps.Laptop!.password);
    const sent = await smtp(PORTS.smtps, joe.address, 'friend@world.example', ['-tlsc', ...auth(joe.address, apps.Laptop!.password), '--body', 'laptop still sends']);
    assert.equal(sent.code, 0, sent.stdout);
    assert.ok(!ma.relayed.some((l) => l.includes('revoked phone')));
  });

  test('a disabled mailbox\'s app passwords are refused; enabled again, they work', async () => {
    assert.equal((await api('PATCH', `/api/v1/mailboxes/${joe.id}`, { enabled: false })).status, 200);
    await applied(joe.id);
    await until('the laptop password refused', async () => /AUTHENTICATIONFAILED/.test((await ma.read('imap', joe.address, apps.Laptop!.password)).error ?? ''));
    await smtpRefused(joe.address, apps.Laptop!.password, 'disabled laptop');
    await imapRefused(joe.address, joe.password);
    assert.equal((await api('PATCH', `/api/v1/mailboxes/${joe.id}`, { enabled: true })).status, 200);
    await applied(joe.id);
    await until('the laptop password accepted again', async () => (await ma.read('imap', joe.address, apps.Laptop!.password)).bodies);
  });

  test('Thunderbird\'s autoconfig, over HTTP and HTTPS: the mail host and the ports the server listens on', async () => {
    const domain = (await api('GET', '/api/v1/mail-domains/mail.a-apps.example')).body;
    const mx = domain.dns.records.find((r: { type: string }) => r.type === 'MX').content as string;
    assert.equal(mx, '10 mail-1.apps.abri.test.');
    for (const scheme of ['http', 'https'] as const) {
      const [status, xml] = await curl(scheme, 'autoconfig.mail.a-apps.example', `/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(joe.address)}`);
      assert.equal(status, 200, xml);
      assert.deepEqual(texts(xml, 'hostname'), Array(6).fill('mail-1.apps.abri.test'));
      assert.deepEqual(texts(xml, 'port'), [PORTS.imaps, PORTS.imap, PORTS.pop3s, PORTS.pop3, PORTS.smtps, PORTS.submission].map(String));
      assert.deepEqual(texts(xml, 'socketType'), ['SSL', 'STARTTLS', 'SSL', 'STARTTLS', 'SSL', 'STARTTLS']);
      assert.deepEqual(texts(xml, 'domain'), ['mail.a-apps.example']);
    }
    const [wellKnown] = await curl('http', 'mail.a-apps.example', '/.well-known/autoconfig/mail/config-v1.1.xml');
    assert.equal(wellKnown, 200);
  });

  test('Outlook\'s autodiscover (POST, both spellings of the path): IMAP, POP3 and SMTP over TLS, the address as login', async () => {
    const body = (email: string) => `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>${email}</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
    for (const path of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
      const [status, xml] = await curl('https', 'autodiscover.mail.a-apps.example', path, body(joe.address));
      assert.equal(status, 200, xml);
      assert.deepEqual(texts(xml, 'Type'), ['IMAP', 'POP3', 'SMTP']);
      assert.deepEqual(texts(xml, 'Server'), Array(3).fill('mail-1.apps.abri.test'));
      assert.deepEqual(texts(xml, 'Port'), [PORTS.imaps, PORTS.pop3s, PORTS.smtps].map(String));
      assert.deepEqual(texts(xml, 'LoginName'), Array(3).fill(joe.address));
    }
  });

  test('an unknown domain, or a host name naming another domain, gets 404: never another domain\'s settings', async () => {
    assert.equal((await curl('http', 'autoconfig.unknown.example', '/mail/config-v1.1.xml?emailaddress=x%40unknown.example'))[0], 404);
    assert.equal((await curl('http', 'autoconfig.mail.a-apps.example', `/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(bob.address)}`))[0], 404);
    const [status, xml] = await curl('https', 'autodiscover.mail.b-apps.example', '/autodiscover/autodiscover.xml', `<Autodiscover><Request><EMailAddress>${joe.address}</EMailAddress></Request></Autodiscover>`);
    assert.equal(status, 404);
    assert.ok(!xml.includes('a-apps'));
    // a removed domain is no longer answered
    const domain = (await api('GET', '/api/v1/mail-domains/mail.b-apps.example')).body;
    assert.equal((await curl('http', 'autoconfig.mail.b-apps.example', '/mail/config-v1.1.xml'))[0], 200);
    assert.equal((await api('DELETE', `/api/v1/mail-domains/${domain.id}`)).status, 204);
    await until('mail.b-apps.example no longer answered', async () => (await curl('http', 'autoconfig.mail.b-apps.example', '/mail/config-v1.1.xml'))[0] === 404);
  });
});
