// Integration (root, real services): the public works page published apart from the platform.
// A server of the `status` role — its own agent, over HTTP, on its own node root — fetches the page
// and serves it with an Apache of its own (ABRI_STATUS_LISTEN); an outside host (a throw-away sshd on
// a loopback port, its own user) gets it by rsync over SSH with the key Abri made for the target and
// only with its pinned host key. A target pinned to another host key fails, shows its last error and
// is retried, and holds up neither the status server nor the other target. After the manager and its
// database are stopped, the status server's Apache still answers with the latest works.
// Ports 27600–27699, uids 68600–68699.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/works-publish.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { startTestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { startSshdTarget } from './harness/sshd-target.js';
import { startStatusNode } from './helpers/status-node.js';

const STATUS_PORT = 27600;
const SSHD_PORT = 27601;
const missing = ['/usr/sbin/apache2', '/usr/sbin/sshd', '/usr/bin/rsync'].filter((b) => !existsSync(b));
const root = process.getuid?.() === 0;

test('the works page on a status server and an rsync target, up without the manager', { skip: (!root || missing.length) && process.env.CI !== 'true' ? `needs root and ${missing.join(', ')}` : false }, async (t) => {
  assert.ok(root, 'runs as root (Apache, sshd, a Unix user)');
  assert.deepEqual(missing, []);
  const sshd = await startSshdTarget(SSHD_PORT, 68600, 'abriwp68600');
  t.after(() => sshd.stop());
  const m = await startTestManager({ settings: { ABRI_WORKS_TITLE: 'Travaux de Test', ABRI_WORKS_URL: 'https://status.example.org' } });
  let managerUp = true;
  t.after(async () => {
    if (managerUp) await m.close();
  });

  // the status server and its agent (another process would do the same: it only talks HTTP to the manager)
  const node = await startStatusNode(m, 'status1', STATUS_PORT);
  t.after(() => node.stop());
  const status = node.get;
  await until('the status server serves the page', async () => (await status('/fr/index.html').catch(() => null))?.body.includes('Travaux de Test'), 90_000)
    .catch(async (e: Error) => assert.fail(`${e.message}; the server says: ${JSON.stringify((await m.api('GET', '/api/v1/servers/status1')).body)}`));

  // two outside targets: one on the real host key, one pinned to another key
  const good = await m.api('POST', '/api/v1/work-targets', { name: 'mirror', host: '127.0.0.1', port: SSHD_PORT, username: sshd.user, path: `${sshd.home}/works`, hostKey: `[127.0.0.1]:${SSHD_PORT} ${sshd.hostKey}` });
  assert.equal(good.status, 201, JSON.stringify(good.body));
  assert.match(good.body.publicKey, /^ecdsa-sha2-nistp256 [A-Za-z0-9+/=]+ abri-works-mirror$/);
  const other = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(node.root, 'other')]);
  assert.equal(other.status, 0);
  const wrongKey = readFileSync(path.join(node.root, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const bad = await m.api('POST', '/api/v1/work-targets', { name: 'impostor', host: '127.0.0.1', port: SSHD_PORT, username: sshd.user, path: `${sshd.home}/other`, hostKey: wrongKey });
  assert.equal(bad.status, 201);
  assert.equal((await m.api('POST', '/api/v1/work-targets', { ...bad.body, name: 'impostor', id: undefined })).status, 400, 'strict body');
  assert.equal((await m.api('POST', '/api/v1/work-targets', { name: 'x', host: 'a b', username: 'u', path: '/srv/x', hostKey: wrongKey })).body.code, 'work_target.invalid');
  // not yet authorized: the push fails, shows why, and is retried
  const failing = await until('the first push fails without the key', async () => {
    const r = await m.api('GET', `/api/v1/work-targets/${good.body.id}`);
    return r.body.state === 'failing' ? r.body : undefined;
  });
  assert.match(failing.lastError, /Permission denied/);
  sshd.authorize(good.body.publicKey);
  assert.equal((await m.api('POST', `/api/v1/work-targets/${good.body.id}/push`)).status, 200);
  await until('the mirror has the page', async () => (await m.api('GET', '/api/v1/work-targets/mirror')).body.state === 'published');
  const current = path.join(sshd.home, 'works/current');
  assert.ok(lstatSync(current).isSymbolicLink(), 'current is a link swapped to each version');
  assert.match(readFileSync(path.join(current, 'en/calendar.html'), 'utf8'), /Travaux de Test — Calendar/);

  await t.test('a change reaches the status server and the mirror; the impostor is refused and retried', async () => {
    const created = await m.api('POST', '/api/v1/works', {
      kind: 'maintenance', title: { fr: 'Bascule du stockage', en: 'Storage switch' }, affects: { platform: true }, plannedStart: '2030-01-15T02:30:00Z', plannedMinutes: 45,
    });
    assert.equal(created.status, 201);
    const n = created.body.number;
    const moved = await m.api('PATCH', `/api/v1/works/${n}`, { plannedStart: '2030-01-15T03:00:00Z', note: { fr: 'Décalé.', en: 'Moved by half an hour.' } });
    assert.equal(moved.status, 200);
    await until('the status server serves the move', async () => (await status(`/en/works/${n}.html`)).body.includes('Moved by half an hour.'));
    await until('the mirror has the move', async () => existsSync(path.join(current, `en/works/${n}.html`)) && readFileSync(path.join(current, `en/works/${n}.html`), 'utf8').includes('Moved by half an hour.'));
    const impostor = await until('the impostor failed twice', async () => {
      const r = (await m.api('GET', '/api/v1/work-targets')).body.items.find((x: { name: string }) => x.name === 'impostor');
      return r.failures >= 2 ? r : undefined;
    });
    assert.equal(impostor.state, 'failing');
    assert.match(impostor.lastError, /Host key verification failed/);
    assert.ok(!existsSync(path.join(sshd.home, 'other')), 'nothing was sent to a host with another key');
    // versions on the mirror: the current one and the one it replaced, nothing more; and nothing else touched
    const versions = readdirSync(path.join(sshd.home, 'works')).filter((e) => e.startsWith('.abri-works-'));
    assert.ok(versions.includes(readlinkSync(current)) && versions.length <= 2, versions.join(' '));
    const ics = await status('/fr/works.ics');
    assert.equal(ics.type, 'text/calendar; charset=utf-8');
    assert.match(ics.body, /DTSTART:20300115T030000Z\r\n/);
    assert.doesNotMatch((await status('/..%2f..%2f..%2fetc/passwd')).body, /root:/);
    assert.equal((await status('/nope.html')).status, 404);
  });

  await t.test('the status server still answers after the manager and its database are stopped', async () => {
    await m.close();
    managerUp = false;
    await node.stopAgent(); // the agent too: the page is Apache's alone
    await assert.rejects(fetch(`${m.url}/api/v1/works`), 'the manager is down');
    const page = await status('/fr/index.html');
    assert.equal(page.status, 200);
    assert.match(page.body, /Bascule du stockage/);
    assert.match((await status('/en/calendar.html')).body, /<h1>Travaux de Test — Calendar<\/h1>/);
  });
});
