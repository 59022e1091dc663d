// The query strings of the lists: hostile q/sort/limit/filters, forged cursors, and paging with the
// cursors the API returned. Never a 5xx; refusals are problems; a returned cursor always works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { fillPath, operations, paramKinds, type Operation } from './helpers/api-walk.js';
import { hostileStrings, SEED, seed, settings, show } from './helpers/fuzz.js';

const cursorOf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const forgedCursors = [
  cursorOf(['abc', 'x']), cursorOf([1, 'not-a-uuid']), cursorOf(['2020-01-01', '00000000-0000-0000-0000-000000000000']),
  cursorOf([true, 1]), cursorOf(['\u0000', '\u0000']), cursorOf([1e308, 'x']), cursorOf('not json'), cursorOf([[], {}]), 'not base64 !', '',
];
const queryValues = [
  ...hostileStrings.filter((v) => !/[\ud800-\udfff]/.test(v)), '0', '1001', '1.5', '-5', '1e3', '-name', '--name', 'name;drop', '-', 'createdAt', '-createdAt',
  '0000-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00', '00000000-0000-0000-0000-000000000000', 'a'.repeat(5000), ...forgedCursors,
];

async function fuzzLists(m: TestManager, runs: number, seedOfRun: number) {
  const s = await seed(m);
  const lists = (await operations(m)).filter((o) => o.method === 'GET' && o.queryParams.length);
  assert.ok(lists.length >= 5, `only ${lists.length} lists in the document`);
  const pathOf = (op: Operation) => fillPath(op.path, Object.fromEntries(paramKinds(op).map(({ name, kind }) => [name, s.paths[kind]!])));
  const failures: string[] = [];
  const check = async (op: Operation, query: string) => {
    const a = await m.api('GET', `${pathOf(op)}?${query}`);
    const what = `${op.key}?${query.slice(0, 120)}`;
    // a read its server's agent answers (a site's logs) finds no agent here: a declared problem, not a failure
    if (a.status >= 500 && a.body?.code !== 'server.unreachable') failures.push(`${what}: ${a.status} ${show(a.body).slice(0, 200)}`);
    else if (a.status >= 400 && (!(a.headers.get('content-type') ?? '').startsWith('application/problem+json') || typeof a.body?.code !== 'string')) {
      failures.push(`${what}: ${a.status} is not a problem document`);
    }
    return a;
  };
  for (const op of lists) {
    // forged cursors, on every sort the list may use
    for (const cursor of forgedCursors) for (const sort of ['', '-']) await check(op, new URLSearchParams({ cursor, ...(sort ? { sort: '-createdAt' } : {}) }).toString());
    // the cursor the API returned leads to the next page
    const first = await check(op, 'limit=1');
    if (first.body?.nextCursor) {
      const next = await check(op, new URLSearchParams({ limit: '1', cursor: first.body.nextCursor }).toString());
      if (next.status !== 200) failures.push(`${op.key}: the nextCursor the API returned answered ${next.status} ${show(next.body).slice(0, 200)}`);
    }
  }
  const cases = fc.sample(fc.tuple(fc.nat(lists.length - 1), fc.nat(), fc.constantFrom(...queryValues)), { seed: seedOfRun, numRuns: runs });
  for (const [opIndex, param, value] of cases) {
    const op = lists[opIndex];
    await check(op, new URLSearchParams({ [op.queryParams[param % op.queryParams.length].name]: value }).toString());
  }
  return failures;
}

for (const database of testDatabases()) {
  // each database its own seed: 300 + 200 distinct hostile parameters (with one seed, PostgreSQL's 200
  // were the first 200 of PGlite's 500, sent again)
  const runs = database.name === 'pglite' ? 300 : 200;
  const seedOfRun = database.name === 'pglite' ? SEED : SEED + 1;
  test(`list queries: forged cursors, returned cursors and ${runs} hostile parameters (${database.name})`, { timeout: 120_000 }, async (t) => {
    const m = await startTestManager({ database, settings });
    t.after(() => m.close());
    // enough audit entries, users and customers for a second page of every list
    for (let i = 0; i < 2; i++) await m.api('POST', '/api/v1/tokens', { name: `paging ${i}` });
    const failures = await fuzzLists(m, runs, seedOfRun);
    assert.deepEqual([...new Set(failures)].slice(0, 25), []);
  });
}
