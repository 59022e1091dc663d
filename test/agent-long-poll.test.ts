// An agent's long poll for its desired state (GET /agent/v1/spec?since=) answers as soon as a revision
// for its server commits in the manager's process: the commit wakes it (platform/wakeups.ts); it does
// not wait for its next look at the database, which here would come only after a minute (the test
// fails on its timeout if a commit does not wake the poll).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { testDatabases } from './helpers/databases.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { waitForChange } from '../src/agent/changes.js';
import { bumpRevision, currentRevision } from '../src/platform/store-revision.js';
import { Wakeups } from '../src/platform/wakeups.js';

const MINUTE = 60_000;

test('a nap ends on its wake-up, at its time, on abort, or at once when a wake-up came since the look', async () => {
  const w = new Wakeups<string>();
  const ends: string[] = [];
  const a = w.nap('a', MINUTE).then(() => ends.push('a'));
  const b = w.nap('b', MINUTE).then(() => ends.push('b'));
  w.wake('a');
  await a;
  assert.deepEqual(ends, ['a'], 'only the sleepers of that key');
  const abort = new AbortController();
  const c = w.nap('c', MINUTE, { signal: abort.signal }).then(() => ends.push('c'));
  abort.abort();
  await c;
  const seen = w.wakes;
  w.wake('b');
  await b;
  await w.nap('b', MINUTE, { since: seen }); // a wake-up since `seen`: no nap
  await w.nap('d', 5);
  assert.deepEqual(ends, ['a', 'c', 'b']);
});

for (const database of testDatabases()) {
  test(`a long poll answers when a revision for its server commits, not at its next look (${database.name})`, { timeout: 20_000 }, async (t) => {
    const m = await startTestManager({ database });
    const stop = new AbortController(); // a poll left waiting by a failure ends with the test
    t.after(async () => {
      stop.abort();
      await m.close();
    });
    const other = (await m.api('POST', '/api/v1/servers', { name: 'dns1', roles: ['dns'], addresses: ['127.0.0.2'] })).body.id as string;
    const serverId = (await m.api('POST', '/api/v1/servers', { name: 'web1', roles: ['web'], addresses: ['127.0.0.1'] })).body.id as string;
    const { hosting } = await seedHosting(m);
    assert.equal(hosting.serverId, serverId, 'the hosting is placed on the web server');
    const db = m.manager.app.db;
    // the poll's looks at the database, counted; looked(n) resolves once there have been n
    let looks = 0;
    let onLook = () => {};
    const counting: KyselyPlugin = { transformQuery: (a) => a.node, transformResult: async (a) => (looks++, onLook(), a.result) };
    const watched = db.withPlugin(counting);
    const looked = (n: number) =>
      new Promise<void>((resolve) => {
        onLook = () => looks >= n && resolve();
        onLook();
      });

    // a revision made outside a transaction, for another server, then for this one
    let answer = waitForChange(watched, serverId, await currentRevision(db), 10 * MINUTE, stop.signal, MINUTE);
    await looked(1);
    await bumpRevision(db, 'another server', [other]);
    await looked(2);
    let settled = false;
    void answer.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'a revision for another server does not answer');
    await bumpRevision(db, 'this server', [serverId]);
    assert.equal(await answer, true, 'answered at the wake-up (its next look would come after a minute)');

    // a change through the API (its transaction commits, then wakes the poll)
    looks = 0;
    answer = waitForChange(watched, serverId, await currentRevision(db), 10 * MINUTE, stop.signal, MINUTE);
    await looked(1);
    assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/suspend`, { reason: 'test' })).status, 200);
    assert.equal(await answer, true);

    // nothing new: the poll ends at its time
    assert.equal(await waitForChange(watched, serverId, await currentRevision(db), 50, stop.signal, MINUTE), false);
  });
}
