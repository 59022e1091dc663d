import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { apiRoutes } from '../src/routes.js';

test('the OpenAPI 3.1 document describes every route from the same schemas that validate', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const r = await m.api('GET', '/api/v1/openapi.json', undefined, { token: null });
  assert.equal(r.status, 200);
  const doc = r.body;
  assert.equal(doc.openapi, '3.1.0');
  for (const p of ['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/me', '/api/v1/tokens', '/api/v1/users', '/api/v1/customers',
    '/api/v1/customers/{id}/delegations', '/api/v1/offers', '/api/v1/hostings', '/api/v1/hostings/{id}/sites', '/api/v1/sites/{id}', '/api/v1/servers', '/api/v1/audit']) {
    assert.ok(doc.paths[p], `missing ${p}`);
  }
  const count = Object.values(doc.paths).reduce((n: number, ops) => n + Object.keys(ops as object).length, 0);
  assert.equal(count, apiRoutes.length, "every public route is documented");
  const create = doc.paths['/api/v1/hostings/{id}/sites'].post;
  const schema = create.requestBody.content['application/json'].schema;
  assert.ok(schema.properties.domain && schema.properties.httpsMode.enum.includes('redirect'));
  assert.deepEqual(schema.required, ['domain']);
  assert.equal(schema.additionalProperties, false);
  const list = doc.paths['/api/v1/hostings/{id}/sites'].get;
  assert.deepEqual(list.parameters.map((p: { name: string }) => p.name).sort(), ['cursor', 'id', 'limit', 'q', 'sort']);
  const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops as Record<string, { operationId: string }>).map((o) => o.operationId));
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  // a client holding the document revalidates it: the same ETag answers 304 without a body, another one the document
  const etag = r.headers.get('etag');
  assert.match(etag ?? '', /^"[\w-]{27}"$/);
  const revalidated = await fetch(`${m.url}/api/v1/openapi.json`, { headers: { 'if-none-match': `"other", ${etag}` } });
  assert.equal(revalidated.status, 304);
  assert.equal(await revalidated.text(), '');
  assert.equal(revalidated.headers.get('etag'), etag);
  const changed = await fetch(`${m.url}/api/v1/openapi.json`, { headers: { 'if-none-match': '"other"' } });
  assert.equal(changed.status, 200);
  assert.deepEqual(await changed.json(), doc);
});

test('unknown routes, bad JSON, wrong content types and huge bodies are problems, not crashes', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const cases: Array<[string, string, { raw?: string; headers?: Record<string, string> }, number]> = [
    ['GET', '/api/v1/nope', {}, 404],
    ['POST', '/api/v1/customers', { raw: '{"name": ' }, 400],
    ['POST', '/api/v1/customers', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
    ['POST', '/api/v1/customers', { raw: JSON.stringify({ name: 'x'.repeat(2_000_000) }) }, 413],
    ['POST', '/api/v1/customers', { raw: '' }, 400],
  ];
  for (const [method, path, opts, status] of cases) {
    const r = await m.api(method, path, undefined, opts);
    assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(opts).slice(0, 80)} → ${JSON.stringify(r.body).slice(0, 200)}`);
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(typeof r.body.code, 'string');
  }
});
