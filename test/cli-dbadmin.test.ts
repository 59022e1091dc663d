// `abri db-user console`: a ticket for the web database admin, never in an address: a page readable
// by its owner only, whose form posts the ticket; the ticket in it opens once. Clear errors: a
// platform without the database admin, a file that exists, an unknown user. (The page in a real
// Adminer: test/agent-dbadmin.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seedHosting, startTestManager, type TestManager } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError, scratch } from './helpers/cli.js';

const KEY = 'cli-dbadmin-key-'.padEnd(40, 'k');

describe('abri db-user console', () => {
  let m: TestManager;
  let env: Record<string, string>;
  let user: string;
  const plain = cliWithManager();

  before(async () => {
    m = await startTestManager({ settings: { ABRI_DBADMIN_KEY: KEY, ABRI_DBADMIN_URL: 'https://panel.example.test/dbadmin/' } });
    env = { ABRI_API_URL: m.url, ABRI_TOKEN: m.adminToken };
    const { hosting } = await seedHosting(m, { offer: { maxDatabases: 2 } });
    assert.equal((await m.api('POST', '/api/v1/servers', { name: 'db-1', roles: ['database'], addresses: ['192.0.2.80'] })).status, 201);
    user = (await m.api('POST', `/api/v1/hostings/${hosting.id}/databases`, { name: 'wp', user: true })).body.user.name;
  });
  after(() => m?.close());

  it('writes a private page whose form posts the ticket (never in an address); the ticket opens once', async () => {
    const r = await abri(['db-user', 'console', user], env);
    assert.equal(r.code, 0, r.stderr);
    const file = r.stdout.split('\n')[0]!;
    assert.match(r.stdout, /open it in a browser before .* \(once\)/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
    const page = await readFile(file, 'utf8');
    assert.match(page, /<form method="post" action="https:\/\/panel\.example\.test\/dbadmin\/">/);
    const ticket = /name="ticket" value="([^"]+)"/.exec(page)![1]!;
    assert.ok(!page.includes(`?ticket=`) && !page.includes(`dbadmin/?`), 'the ticket is never in an address');
    const exchange = () => fetch(`${m.url}/api/v1/dbadmin/exchange`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-abri-dbadmin-key': KEY }, body: JSON.stringify({ ticket }) });
    const first = await exchange();
    assert.equal(first.status, 200);
    assert.equal((await first.json()).user, user);
    assert.equal((await exchange()).status, 403, 'once');
  });

  it('--out writes a new file only; --json says where', async () => {
    const out = path.join(scratch, `console-${Date.now()}.html`);
    const r = await abri(['--json', 'db-user', 'console', user, '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(JSON.parse(r.stdout)).sort(), ['expiresAt', 'file', 'url', 'user']);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    const existing = path.join(scratch, `taken-${Date.now()}.html`);
    await writeFile(existing, 'mine');
    assert.match(oneLineError(await abri(['db-user', 'console', user, '--out', existing], env)), /already exists/);
    assert.equal(await readFile(existing, 'utf8'), 'mine', 'left alone');
  });

  it('clear errors: unknown user, no database admin on the platform, no argument', async () => {
    assert.match(oneLineError(await abri(['db-user', 'console', 'nobody_here'], env)), /database_user\.not_found/);
    const { hosting } = await seedHosting(plain.m, { offer: { maxDatabases: 2 } });
    assert.equal((await plain.m.api('POST', '/api/v1/servers', { name: 'db-1', roles: ['database'], addresses: ['192.0.2.80'] })).status, 201);
    const other = (await plain.m.api('POST', `/api/v1/hostings/${hosting.id}/databases`, { name: 'wp', user: true })).body.user.name;
    assert.match(oneLineError(await abri(['db-user', 'console', other], plain.env)), /dbadmin\.not_configured/);
    assert.match(oneLineError(await abri(['db-user', 'console'], env), 2), /ref/);
  });
});
