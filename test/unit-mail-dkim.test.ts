// Pure parts of DKIM and rspamd: selectors, the rspamd settings, the renderer's refusals, and the mail
// driver (rendering only, no services) leaving out one domain's unusable key while serving the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { nextSelector, isPrivateKeyPem } from '../src/mail/rules-dkim.js';
import { renderRspamd, type RspamdSpec } from '../src/mail/render-rspamd.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { nodeLayout } from '../src/node/layout.js';
import { MailDriver } from '../src/mail/apply-mail.js';
import { rspamdPaths } from '../src/mail/apply-rspamd.js';

test('selectors: abri<yyyymm>, then -2, -3… within the month', () => {
  const dec = new Date('2026-12-31T23:59:00Z');
  assert.equal(nextSelector(dec, []), 'abri202612');
  assert.equal(nextSelector(dec, ['abri202612']), 'abri202612-2');
  assert.equal(nextSelector(dec, ['abri202612', 'abri202612-2', 'abri202611']), 'abri202612-3');
  assert.equal(nextSelector(new Date('2027-01-01T00:00:00Z'), ['abri202612']), 'abri202701');
});

test('rspamd settings and rendering refuse what cannot be written', () => {
  const base = { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent' };
  assert.deepEqual(loadConfig({}, { ...base, ABRI_RSPAMD_NAMESERVERS: '192.0.2.53, 192.0.2.54:5353,[2001:db8::53]:53' }).node.mail.rspamdNameservers, ['192.0.2.53', '192.0.2.54:5353', '[2001:db8::53]:53']);
  assert.equal(loadConfig({}, base).node.mail.rspamd, '/usr/bin/rspamd');
  assert.equal(loadConfig({}, { ...base, ABRI_RSPAMD: '' }).node.mail.rspamd, '');
  for (const bad of [{ ABRI_RSPAMD_NAMESERVERS: 'ns.example.net' }, { ABRI_RSPAMD_NAMESERVERS: '192.0.2.53:99999' }, { ABRI_RSPAMD: 'rspamd' }]) {
    assert.throws(() => loadConfig({}, { ...base, ...bad }), /ABRI_RSPAMD/, JSON.stringify(bad));
  }
  const spec: RspamdSpec = { paths: rspamdPaths('/'), nameservers: [], dkim: [{ domain: 'example.org', selector: 'abri202612' }] };
  const signing = renderRspamd(spec).find((f) => f.path === 'local.d/dkim_signing.conf')!.content;
  assert.match(signing, /^ {4}path = "\/etc\/abri\/rspamd-dkim\/example\.org\.abri202612\.key";$/m);
  assert.equal(renderRspamd({ ...spec, dkim: [] }).find((f) => f.path === 'local.d/options.inc')!.content.includes('nameserver'), false, 'the system\'s resolvers');
  for (const bad of [{ dkim: [{ domain: 'Example.org', selector: 'a' }] }, { dkim: [{ domain: 'example.org', selector: 'a"; }' }] }, { nameservers: ['1.2.3.4"; x'] }]) {
    assert.throws(() => renderRspamd({ ...spec, ...bad }), /cannot render/, JSON.stringify(bad));
  }
});

test('the mail driver leaves out an unusable DKIM key, reported on its domain alone', async () => {
  const root = await mkdtemp('/tmp/abri-dkim-unit-');
  try {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    assert.ok(isPrivateKeyPem(pem));
    assert.ok(!isPrivateKeyPem(pem.replace('PRIVATE KEY-----\n', 'PRIVATE KEY-----\n";\n')));
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '0', ABRI_NODE_ROOT: root });
    const driver = new MailDriver(new LocalExecutor(), config.node, nodeLayout(root), pino({ level: 'silent' }));
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const r = await driver.reconcile({
      revision: 1, server: { id: id(0), name: 'mail-1', roles: ['mail'] },
      mail: {
        domains: [
          { id: id(1), name: 'good.example', hosting: 'h1', dkim: { selector: 'abri202612', privateKey: pem } },
          { id: id(2), name: 'bad.example', hosting: 'h2', dkim: { selector: 'abri202612', privateKey: 'not a key' } },
          { id: id(3), name: 'odd.example', hosting: 'h3', dkim: { selector: '../../etc', privateKey: pem } },
        ],
        mailboxes: [], aliases: [],
      },
    });
    const states = Object.fromEntries(r.objects.map((o) => [o.id, o.status]));
    assert.deepEqual(states, { [id(1)]: 'rendered', [id(2)]: 'error', [id(3)]: 'error' });
    // still served: the domains table of Postfix holds all three
    assert.equal(await readFile(path.join(root, 'etc/abri/postfix/domains'), 'utf8').then((s) => s.split('\n').filter((l) => l.endsWith(' OK')).length), 3);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
