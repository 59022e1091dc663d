// Where the works page is published, through the API: outside targets (staff only) — checked fields,
// a key pair of their own (the private key never shown), names unique, removal; the page stored by
// the export, named by its digest in the desired state of the status servers only, and handed out by
// GET /agent/v1/works-page to them alone (another server's token gets work_page.not_found).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { TEST_HOST_KEY } from './helpers/isolation.js';
import { storedDigest } from '../src/works/store-publish.js';
import { pageProblem } from '../src/works/rules-publish.js';

const until = async <T>(what: string, fn: () => Promise<T | undefined | false>) => {
  for (let i = 0; i < 600; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never: ${what}`);
};

for (const database of testDatabases()) {
  test(`publication of the works page (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const target = { name: 'mirror', host: 'Status.Example.org', port: 2222, username: 'abri', path: '/srv/status/', hostKey: `[status.example.org]:2222 ${TEST_HOST_KEY} comment` };

    await t.test('staff add, list, show and remove targets; customers cannot', async () => {
      const customer = await m.user('c@example.org');
      assert.equal((await m.api('GET', '/api/v1/work-targets', undefined, { token: customer.token })).body.code, 'auth.staff_only');
      assert.equal((await m.api('POST', '/api/v1/work-targets', target, { token: customer.token })).body.code, 'auth.staff_only');
      const added = await m.api('POST', '/api/v1/work-targets', target);
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.host, 'status.example.org');
      assert.equal(added.body.path, '/srv/status');
      assert.equal(added.body.hostKey, TEST_HOST_KEY, 'the host key alone, without host or comment');
      assert.match(added.body.publicKey, /^ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABB[A-Za-z0-9+/=]+ abri-works-mirror$/);
      assert.ok(!JSON.stringify(added.body).includes('PRIVATE'), 'the private key is never shown');
      assert.equal((await m.api('POST', '/api/v1/work-targets', target)).body.code, 'work_target.name_taken');
      for (const [field, value] of [['host', 'a b'], ['username', 'Root!'], ['path', '/srv/../etc'], ['path', 'relative'], ['path', '//'], ['hostKey', 'not a key']] as const) {
        const r = await m.api('POST', '/api/v1/work-targets', { ...target, name: 'other', [field]: value });
        assert.equal(r.status, 400, `${field} ${value}`);
        assert.equal(r.body.code, 'work_target.invalid');
        assert.equal(r.body.errors[0].path, `body.${field}`);
      }
      const list = await m.api('GET', '/api/v1/work-targets');
      assert.deepEqual(list.body.items.map((x: { name: string }) => x.name), ['mirror']);
      assert.equal((await m.api('GET', '/api/v1/work-targets/mirror')).body.id, added.body.id);
      // nothing listens at status.example.org from here: the first push fails, and says why
      const failing = await until('the push fails', async () => {
        const r = (await m.api('GET', `/api/v1/work-targets/${added.body.id}`)).body;
        return r.state === 'failing' ? r : undefined;
      });
      assert.ok(failing.lastError.length > 0);
      assert.ok(failing.failures >= 1);
      assert.equal((await m.api('POST', '/api/v1/work-targets/mirror/push')).status, 200);
      assert.equal((await m.api('DELETE', '/api/v1/work-targets/mirror')).status, 204);
      assert.equal((await m.api('GET', '/api/v1/work-targets/mirror')).body.code, 'work_target.not_found');
      const audit = await m.api('GET', '/api/v1/audit?q=work_target');
      assert.ok(audit.body.items.some((e: { action: string }) => e.action === 'work_target.delete'));
    });

    await t.test('the page goes to the status servers alone', async () => {
      const status = await m.api('POST', '/api/v1/servers', { name: 'status-1', roles: ['status'], addresses: ['192.0.2.80'] });
      const web = await m.api('POST', '/api/v1/servers', { name: 'web-9', roles: ['web'], addresses: ['192.0.2.81'] });
      assert.equal(status.status, 201);
      const agent = (token: string, path: string) => fetch(`${m.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const digest = await until('the page is stored', () => storedDigest(m.manager.app.db));
      const spec = await (await agent(status.body.agentToken, '/agent/v1/spec')).json();
      assert.deepEqual(spec.status, { page: { digest } });
      assert.equal((await (await agent(web.body.agentToken, '/agent/v1/spec')).json()).status, undefined);
      const page = await (await agent(status.body.agentToken, '/agent/v1/works-page')).json();
      assert.equal(pageProblem(page), null, 'safe paths, its own digest');
      assert.ok(page.files.some((f: { path: string }) => f.path === 'fr/calendar.html'));
      const refused = await agent(web.body.agentToken, '/agent/v1/works-page');
      assert.equal(refused.status, 404);
      assert.equal((await refused.json()).code, 'work_page.not_found');
      // a change gives a new page and a new revision for the status server
      const before = spec.revision;
      assert.equal((await m.api('POST', '/api/v1/works', { kind: 'incident', title: { fr: 'Panne', en: 'Outage' }, affects: { platform: true } })).status, 201);
      const next = await until('a new page for the status server', async () => {
        const s = await (await agent(status.body.agentToken, '/agent/v1/spec')).json();
        return s.status.page.digest !== digest ? s : undefined;
      });
      assert.ok(next.revision > before);
    });
  });
}

test('a page handed out with an unsafe path or another digest is refused', () => {
  const page = { digest: '0'.repeat(64), files: [{ path: 'index.html', content: 'x' }] };
  assert.equal(pageProblem(page), 'the files do not match their digest');
  for (const p of ['../etc/passwd', '/etc/passwd', 'fr/../../x', 'a//b', '.hidden']) assert.match(String(pageProblem({ ...page, files: [{ path: p, content: '' }] })), /unsafe path/);
});
