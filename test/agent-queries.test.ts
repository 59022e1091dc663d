// Agent queries (src/node/query.ts, src/servers/queries.ts, src/agent/queries.ts) over the real agent
// protocol, without services: the manager asks a server, its agent's loop takes the query on its long
// poll and answers over HTTP. A server that never called is not waited for; another server cannot
// answer (nor take) a server's query; a handler's refusal reaches the asker as the code it expects,
// anything else as server.query_failed; a site's logs are not asked of a server without an agent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { QueryLoop } from '../src/agent/queries.js';
import { askServer } from '../src/servers/queries.js';
import { QueryRefusal, type QueryHandler } from '../src/node/query.js';
import { AppError } from '../src/platform/errors.js';
import { findServer } from '../src/servers/store.js';

describe('agent queries', () => {
  let m: TestManager;
  let web: { id: string; name: string; agentToken: string };
  let other: { id: string; name: string; agentToken: string };
  const stop = new AbortController();
  const seen: unknown[] = [];
  const handlers: Record<string, QueryHandler> = {
    echo: async (args) => {
      seen.push(args);
      return { echoed: args };
    },
    refuse: async () => {
      throw new QueryRefusal('site.log_unsafe', 'error.log was not read: it is a symbolic link', { file: 'error.log', detail: 'it is a symbolic link' });
    },
    crash: async () => {
      throw new Error('disk on fire');
    },
  };

  before(async () => {
    m = await startTestManager();
    web = (await m.api('POST', '/api/v1/servers', { name: 'web-q', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    other = (await m.api('POST', '/api/v1/servers', { name: 'web-other', roles: ['web'], addresses: ['127.0.0.2'] })).body;
  });
  after(async () => {
    await m?.close();
  });

  const ask = async (kind: string, args: unknown, refusals: string[] = []) =>
    askServer(m.manager.app, await findServer(m.manager.app.db, web.id), kind, args, { timeoutMs: 60_000, refusals });
  const problem = (e: unknown) => (assert.ok(e instanceof AppError, String(e)), { code: e.code, params: e.params });

  test('a server whose agent never called is not waited for', async () => {
    assert.deepEqual(await ask('echo', { a: 1 }).then(() => null, problem), { code: 'server.unreachable', params: { server: 'web-q' } });
  });

  test('the agent takes the query on its poll and answers; refusals and failures come back as problems', async () => {
    const loop = new QueryLoop(new HttpManagerLink(m.url, web.agentToken), handlers, () => ({ state: null }), pino({ level: 'silent' }), 2000);
    const running = loop.run(stop.signal);
    // its first poll makes it reachable
    for (let i = 0; i < 600 && (await findServer(m.manager.app.db, web.id)).lastContactAt === null && !(await isPollingNow()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await ask('echo', { path: 'x', n: [1, 2] }), { echoed: { path: 'x', n: [1, 2] } });
    assert.deepEqual(await ask('refuse', {}, ['site.log_unsafe']).then(() => null, problem), { code: 'site.log_unsafe', params: { file: 'error.log', detail: 'it is a symbolic link' } });
    // a code the caller does not expect is not passed on as is
    assert.equal((await ask('refuse', {}).then(() => null, problem))?.code, 'server.query_failed');
    assert.deepEqual(await ask('crash', {}).then(() => null, problem), { code: 'server.query_failed', params: { server: 'web-q', detail: 'disk on fire' } });
    assert.equal((await ask('no-such-kind', {}).then(() => null, problem))?.code, 'server.query_failed');
    stop.abort(); // the agent goes away
    await running;
  });

  test('another server neither takes nor answers this server\'s queries', async () => {
    const otherLink = new HttpManagerLink(m.url, other.agentToken);
    assert.deepEqual(await otherLink.queries(1000, new AbortController().signal), []);
    const { insertQuery, queryAnswer } = await import('../src/servers/store-queries.js');
    const now = new Date();
    const id = await insertQuery(m.manager.app.db, { serverId: web.id, kind: 'echo', args: {}, now, expiresAt: new Date(now.getTime() + 60_000) });
    await otherLink.answer(id, { result: 'forged' });
    assert.equal(await queryAnswer(m.manager.app.db, id), null);
    const forged = await m.api('POST', `/agent/v1/queries/${id}/answer`, { result: 'x' }, { token: web.agentToken.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')), unchecked: true });
    assert.equal(forged.status, 401);
  });

  test('a site on a server without an agent: its logs answer server.unreachable at once', async () => {
    const { hosting } = await seedHosting(m, { customer: 'Quiet' });
    const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'quiet.example.org' })).body;
    const r = await m.api('GET', `/api/v1/sites/${site.id}/logs?kind=error&lines=50`);
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.code, 'server.unreachable');
  });

  async function isPollingNow() {
    const { isPolling } = await import('../src/servers/presence.js');
    return isPolling(m.manager.app, web.id);
  }
});
