// `abri login`: a token saved for the other commands, the TOTP code when the account needs one,
// and its usage errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { abri, oneLineError, scratch } from './helpers/cli.js';

describe('abri login', () => {
  let m: TestManager;
  before(async () => {
    m = await startTestManager();
  });
  after(() => m?.close());

  it('logs in through the API and saves a token the other commands use, while the manager runs', async () => {
    await m.user('staff@login.test', 'staff');
    const home = mkdtempSync(path.join(scratch, 'login-'));
    const env = { ABRI_API_URL: m.url, XDG_CONFIG_HOME: home };
    const r = await abri(['login', '--email', 'staff@login.test', '--password-stdin', '--name', 'laptop'], env, { input: 'correct horse battery\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /logged in as staff@login\.test; API token "laptop" saved in \S+\/abri\/token/);
    const file = path.join(home, 'abri', 'token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^abri_\S+\n$/);
    const listed = await abri(['--json', 'customer', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const tokens = (await m.api('GET', '/api/v1/tokens', undefined, { token: readFileSync(file, 'utf8').trim() })).body.items;
    assert.deepEqual(tokens.map((t: { name: string }) => t.name).sort(), ['laptop', 'test'], 'the token the test helper made, and the one of abri login');
  });

  it('asks for the TOTP code when the account needs one, and fails plainly on a wrong password', async () => {
    const u = await m.user('totp@login.test', 'staff');
    const start = await m.api('POST', '/api/v1/me/totp', undefined, { token: u.token });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(start.body.secret) });
    assert.equal((await m.api('POST', '/api/v1/me/totp/confirm', { code: totp.generate() }, { token: u.token })).status, 200);
    const env = { ABRI_API_URL: m.url, XDG_CONFIG_HOME: mkdtempSync(path.join(scratch, 'login-')) };
    const needed = await abri(['login', '--email', 'totp@login.test', '--password-stdin'], env, { input: 'correct horse battery\n' });
    assert.match(oneLineError(needed), /two-factor.*--totp.*auth\.totp_required/);
    const ok = await abri(['--json', 'login', '--email', 'totp@login.test', '--password-stdin', '--totp', totp.generate()], env, { input: 'correct horse battery\n' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).email, 'totp@login.test');
    const bad = await abri(['login', '--email', 'totp@login.test', '--password-stdin'], env, { input: 'wrong password\n' });
    assert.match(oneLineError(bad), /auth\.invalid_credentials/);
  });

  it('usage errors exit 2: no email or password source without a terminal, a malformed code', async () => {
    const env = { ABRI_API_URL: m.url };
    assert.match(oneLineError(await abri(['login', '--password-stdin'], env, { input: 'x\n' }), 2), /--email/);
    assert.match(oneLineError(await abri(['login', '--email', 'a@b.test'], env), 2), /--password-stdin/);
    assert.match(oneLineError(await abri(['login', '--email', 'a@b.test', '--password-stdin', '--totp', '12'], env, { input: 'x\n' }), 2), /6-digit/);
  });
});
