import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, settings } from '../src/platform/config.js';
import { AppError } from '../src/platform/errors.js';
import { statusOf } from '../src/platform/http/problem.js';
import '../src/errors.js';

test('defaults run on one machine with no setup', () => {
  const c = loadConfig({ ABRI_CONFIG: '/nonexistent' });
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: 8080 });
  assert.equal(c.databaseUrl, null);
  assert.equal(c.dataDir, path.resolve('abri-data'));
  assert.equal(c.publicUrl, 'http://127.0.0.1:8080');
  assert.ok(settings.every((s) => s.key.startsWith('ABRI_') && s.description.length > 10));
  assert.equal(c.node.mail.loginDelay, 'dovecot', 'refused mail sign-ins keep Dovecot\'s slow-down');
});

test('the config file gives values, the environment wins, bad values are clear errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'abri-config-'));
  const file = path.join(dir, 'abri.conf');
  writeFileSync(file, '# comment\nABRI_LISTEN=0.0.0.0:9000\nABRI_HOSTING_PREFIX="w4a"\nABRI_UID_MIN=100010\n');
  const c = loadConfig({ ABRI_CONFIG: file, ABRI_UID_MIN: '200000', ABRI_UID_MAX: '300000' });
  assert.deepEqual(c.listen, { host: '0.0.0.0', port: 9000 });
  assert.equal(c.hostingPrefix, 'w4a');
  assert.equal(c.uidMin, 200000);
  for (const [k, v] of [['ABRI_LISTEN', 'nope'], ['ABRI_UID_MIN', '-1'], ['ABRI_HOSTING_PREFIX', 'W4A'], ['ABRI_PHP_VERSIONS', 'eight'],
    ['ABRI_SMTP_URL', 'http://relay.example.net'], ['ABRI_SMTP_URL', 'smtp://user:secret@relay.example.net/path'], ['ABRI_MAIL_FROM', 'Abri <not an address>'], ['ABRI_SMTP_REQUIRE_TLS', 'maybe'], ['ABRI_MAIL_LOGIN_DELAY', '0']]) {
    assert.throws(() => loadConfig({ ABRI_CONFIG: '/nonexistent', [k]: v }), (e: unknown) => e instanceof AppError && e.code === 'config.invalid' && e.message.includes(k));
  }
  // the relay's password is never repeated in the error
  assert.throws(() => loadConfig({ ABRI_CONFIG: '/nonexistent', ABRI_SMTP_URL: 'smtp://user:secret@relay.example.net/path' }), (e: unknown) => !(e as Error).message.includes('secret'));
  assert.deepEqual(loadConfig({ ABRI_CONFIG: '/nonexistent', ABRI_PLATFORM_DOMAIN: 'web4me.fr' }).smtp, { url: 'smtp://127.0.0.1:25', requireTls: false, from: 'Abri <noreply@web4me.fr>' });
  writeFileSync(file, 'ABRI_TYPO=1\n');
  assert.throws(() => loadConfig({ ABRI_CONFIG: file }), /unknown setting ABRI_TYPO/);
});

test('error codes map to HTTP statuses once, through their declared kind', () => {
  const status = (code: string) => statusOf(new AppError(code, code));
  assert.equal(status('site.domain_taken'), 409);
  assert.equal(status('quota.sites_exceeded'), 409);
  assert.equal(status('site.not_found'), 404);
  assert.equal(status('site.forbidden'), 403);
  assert.equal(status('auth.unauthenticated'), 401);
  assert.equal(status('auth.rate_limited'), 429);
  assert.equal(status('request.validation'), 400);
  assert.throws(() => new AppError('site.no_such_code', 'x'), /undeclared error code/);
});
