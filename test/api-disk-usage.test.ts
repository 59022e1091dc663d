// The disk usage web servers report for their hostings (kind hosting-disk): shown as usage.diskMb,
// only from the hosting's own server (another server's word, or its old server's after a move, is
// ignored), and the hostings list sorted by how full their disk is (sort=-disk: nearest the limit first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { seedHosting, startTestManager } from './helpers/manager.js';

const MiB = 1024 * 1024;

test('disk usage: reported by the hosting\'s server only, shown with its limit, sortable', async (t) => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const m = await startTestManager({ clock });
  t.after(() => m.close());
  const web1 = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.2'] })).body;
  const web2 = (await m.api('POST', '/api/v1/servers', { name: 'web-2', roles: ['web'], addresses: ['192.0.2.3'] })).body;
  const { customer, offer } = await seedHosting(m, { customer: 'Alpha', offer: { diskMb: 100 } });
  const hosting = async () => {
    const r = await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id, serverId: web1.id });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; name: string };
  };
  const [h1, h2, h3] = [await hosting(), await hosting(), await hosting()];
  const report = async (token: string, usage: unknown[]) => {
    const r = await fetch(`${m.url}/agent/v1/report`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ revision: 0, mode: 'apply', objects: [], usage }),
    });
    assert.equal(r.status, 204, await r.text());
  };
  const disk = async (id: string) => (await m.api('GET', `/api/v1/hostings/${id}`)).body.usage.diskMb;

  assert.deepEqual(await disk(h1.id), { used: null, max: 100, enforced: null, measuredAt: null }, 'not measured yet');

  // another server cannot speak for h1, nor can an id that is no hosting
  await report(web2.agentToken, [{ kind: 'hosting-disk', id: h1.id, bytes: 99 * MiB, enforced: true }, { kind: 'hosting-disk', id: 'x', bytes: 1 }]);
  assert.equal((await disk(h1.id)).used, null);

  await report(web1.agentToken, [
    { kind: 'hosting-disk', id: h1.id, bytes: 50 * MiB, enforced: true },
    { kind: 'hosting-disk', id: h2.id, bytes: 90 * MiB + 512 * 1024, enforced: false },
  ]);
  assert.deepEqual(await disk(h1.id), { used: 50, max: 100, enforced: true, measuredAt: '2026-03-01T10:00:00.000Z' });
  assert.deepEqual(await disk(h2.id), { used: 90.5, max: 100, enforced: false, measuredAt: '2026-03-01T10:00:00.000Z' });

  // nearest the limit first, then the others; unmeasured last; the cursor walks the same order
  const names = async (sort: string) => {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: { items: Array<{ name: string }>; nextCursor: string | null } } = await m.api('GET', `/api/v1/hostings?sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      out.push(...r.body.items.map((h: { name: string }) => h.name));
      cursor = r.body.nextCursor;
    } while (cursor);
    return out;
  };
  const fullest = await names('-disk');
  assert.deepEqual(fullest.slice(0, 2), [h2.name, h1.name]);
  assert.equal(fullest.length, 4);
  assert.ok(fullest.slice(2).includes(h3.name));
  assert.deepEqual((await names('disk')).slice(2), [h1.name, h2.name]);

  const forged = Buffer.from(JSON.stringify(['not a number', h1.id])).toString('base64url');
  const bad = await m.api('GET', `/api/v1/hostings?sort=-disk&cursor=${forged}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'request.invalid_cursor');

  // a new measure replaces the last one
  clock.advance(60_000);
  await report(web1.agentToken, [{ kind: 'hosting-disk', id: h1.id, bytes: 10 * MiB, enforced: true }]);
  assert.deepEqual(await disk(h1.id), { used: 10, max: 100, enforced: true, measuredAt: '2026-03-01T10:01:00.000Z' });

  // moved to web-2: web-1's figure is no longer shown, nor taken
  assert.equal((await m.api('PATCH', `/api/v1/hostings/${h1.id}`, { serverId: web2.id })).status, 200);
  assert.equal((await disk(h1.id)).used, null);
  await report(web1.agentToken, [{ kind: 'hosting-disk', id: h1.id, bytes: 20 * MiB, enforced: true }]);
  assert.equal((await disk(h1.id)).used, null);
  await report(web2.agentToken, [{ kind: 'hosting-disk', id: h1.id, bytes: 30 * MiB, enforced: false }]);
  assert.deepEqual(await disk(h1.id), { used: 30, max: 100, enforced: false, measuredAt: '2026-03-01T10:01:00.000Z' });
});
