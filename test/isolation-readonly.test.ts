// Tenant isolation: a readonly user of customer A may read A's objects and gets <what>.forbidden on
// every change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { exampleBody, fillPath, operations, paramKinds } from './helpers/api-walk.js';
import { assertProblem, bodyContext, ok, queryOf, references, seed, settings, snapshotOfA } from './helpers/isolation.js';

for (const database of testDatabases()) {
  test(`a readonly user of customer A reads everything of A and changes nothing (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings });
    t.after(() => m.close());
    const s = await seed(m);
    const before = await snapshotOfA(m, s);
    const ops = await operations(m);
    const ctx = bodyContext(s, 'r@alpha-corp.test');
    let reads = 0;
    let changes = 0;
    for (const op of ops.filter((o) => o.tenant)) {
      const values = Object.fromEntries(paramKinds(op).map(({ name, kind }) => [name, references(s)[kind].a[0]]));
      const path = fillPath(op.path, values) + queryOf(op, s);
      const what = `readonly r: ${op.method} ${path}`;
      const answer = await m.api(op.method, path, exampleBody(op, ctx), { token: s.r.token });
      if (op.access === 'staff' || op.access === 'admin') {
        assertProblem(answer, 403, /^auth\.staff_only$/, what);
      } else if (op.method === 'GET' && answer.body?.code === 'server.unreachable') {
        // a read its server's agent answers (a site's logs): past the policy, no agent runs here
        assertProblem(answer, 503, /^server\.unreachable$/, what);
        reads++;
      } else if (op.method === 'GET') {
        ok(answer, 200, what);
        reads++;
      } else {
        assertProblem(answer, 403, /^[a-z_]+\.forbidden$/, what);
        changes++;
      }
    }
    assert.ok(reads >= 4 && changes >= 6, `readonly walk covered ${reads} reads and ${changes} changes`);
    assert.deepEqual(await snapshotOfA(m, s), before, 'customer A\'s objects changed during the readonly walk');
  });
}
