// Offers over the API: the defaults every client shares, every field error at once, names unique
// whatever the case, a change reaching the hostings' servers, and what a customer may not do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offerDefaults } from '../src/offers/rules.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';

interface Issue {
  path: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}
const issuesOf = (body: { errors?: Issue[] }) => Object.fromEntries((body.errors ?? []).map((i) => [i.path, i]));

for (const database of testDatabases()) {
  test(`offers (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ABRI_PHP_VERSIONS: '8.2,8.3' } });
    t.after(() => m.close());

    await t.test('a name and a price are enough: every other field takes the documented default', async () => {
      const r = await m.api('POST', '/api/v1/offers', { name: 'Découverte', priceCents: 0 });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      for (const [field, value] of Object.entries(offerDefaults)) assert.deepEqual(r.body[field], value, field);
      assert.deepEqual(r.body.phpVersions, ['8.2', '8.3'], "the platform's PHP versions");

      const doc = (await m.api('GET', '/api/v1/openapi.json')).body;
      const schema = doc.paths['/api/v1/offers'].post.requestBody.content['application/json'].schema;
      assert.deepEqual([...schema.required].sort(), ['name', 'priceCents']);
      assert.equal(schema.properties.diskMb.default, offerDefaults.diskMb, 'the document shows the defaults');
      assert.equal(schema.properties.maxSites.default, offerDefaults.maxSites);
    });

    await t.test('an empty name is refused with a clear error', async () => {
      for (const name of ['', '   ']) {
        const r = await m.api('POST', '/api/v1/offers', { name, priceCents: 100 });
        assert.equal(r.status, 400);
        assert.equal(r.body.code, 'request.validation');
        const { code, message } = issuesOf(r.body)['body.name'];
        assert.deepEqual({ code, message }, { code: 'too_small', message: 'must not be empty' });
      }
      const patch = await m.api('PATCH', '/api/v1/offers/Découverte', { name: '' });
      assert.equal(patch.status, 400);
      assert.equal(issuesOf(patch.body)['body.name'].message, 'must not be empty');
    });

    await t.test('every field error comes at once, missing fields as "required"', async () => {
      const missing = await m.api('POST', '/api/v1/offers', {});
      assert.equal(missing.status, 400);
      const m1 = issuesOf(missing.body);
      assert.deepEqual(Object.keys(m1).sort(), ['body.name', 'body.priceCents']);
      assert.equal(m1['body.name'].code, 'required');
      assert.equal(m1['body.priceCents'].message, 'is required');

      const r = await m.api('POST', '/api/v1/offers', { name: '', priceCents: -1, diskMb: 'lots', phpVersions: [], billingCycle: 'weekly' });
      assert.equal(r.status, 400);
      const all = issuesOf(r.body);
      assert.deepEqual(Object.keys(all).sort(), ['body.billingCycle', 'body.diskMb', 'body.name', 'body.phpVersions', 'body.priceCents']);
      assert.equal(all['body.diskMb'].message, 'must be a number');
    });

    await t.test('a taken name (any case) is a conflict on the name; with other refused values, all are listed', async () => {
      const taken = await m.api('POST', '/api/v1/offers', { name: 'DÉCOUVERTE', priceCents: 100 });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.code, 'offer.name_taken');
      assert.equal(taken.body.errors[0].path, 'body.name');
      assert.equal(taken.body.params.name, 'DÉCOUVERTE');

      const both = await m.api('POST', '/api/v1/offers', { name: 'découverte', priceCents: 100, phpVersions: ['7.4', '8.2'] });
      assert.equal(both.status, 400);
      assert.equal(both.body.code, 'offer.invalid');
      const issues = issuesOf(both.body);
      assert.equal(issues['body.name'].code, 'offer.name_taken');
      assert.equal(issues['body.phpVersions'].code, 'offer.php_version_unavailable');
      assert.match(issues['body.phpVersions'].message, /PHP 7\.4 is not offered/);

      const other = (await m.api('POST', '/api/v1/offers', { name: 'Autre', priceCents: 100 })).body;
      const rename = await m.api('PATCH', `/api/v1/offers/${other.id}`, { name: 'Découverte' });
      assert.equal(rename.status, 409);
      assert.equal(rename.body.code, 'offer.name_taken');
      assert.equal((await m.api('PATCH', `/api/v1/offers/${other.id}`, { name: 'autre' })).status, 200, 'its own name, in another case');
    });

    await t.test("a change of what hostings' PHP-FPM pools are rendered from reaches their web server", async () => {
      const web = (await m.api('POST', '/api/v1/servers', { name: 'web1', roles: ['web'], addresses: ['192.0.2.10'] })).body;
      const { hosting, offer } = await seedHosting(m, { customer: 'Pool' });
      assert.equal(hosting.serverId, web.id);
      const db = m.manager.app.db;
      const revisionOf = async () => (await db.selectFrom('hostings').select('revision').where('id', '=', hosting.id).executeTakeFirstOrThrow()).revision;
      const before = await revisionOf();

      assert.equal((await m.api('PATCH', `/api/v1/offers/${offer.id}`, { priceCents: 900 })).status, 200);
      assert.equal(await revisionOf(), before, 'the price renders nothing');

      const r = await m.api('PATCH', `/api/v1/offers/${offer.id}`, { phpMemoryMb: 512 });
      assert.equal(r.status, 200);
      const after = await revisionOf();
      assert.ok(after > before, 'the hosting is stamped with a new revision');
      const rev = await db.selectFrom('revisions').select(['reason', 'serverIds']).where('id', '=', after).executeTakeFirstOrThrow();
      assert.deepEqual(rev.serverIds, [web.id]);
      assert.match(rev.reason, /offer .* changed/);
    });

    await t.test('an offer in use cannot be deleted (archive it); an unused one can', async () => {
      const { offer } = await seedHosting(m, { customer: 'Utilisé' });
      const used = await m.api('DELETE', `/api/v1/offers/${offer.id}`);
      assert.equal(used.status, 409);
      assert.equal(used.body.code, 'offer.in_use');
      assert.equal((await m.api('PATCH', `/api/v1/offers/${offer.id}`, { archived: true })).body.archived, true);

      const spare = (await m.api('POST', '/api/v1/offers', { name: 'Éphémère', priceCents: 1 })).body;
      assert.equal((await m.api('DELETE', `/api/v1/offers/${spare.id}`)).status, 204);
      assert.equal((await m.api('GET', `/api/v1/offers/${spare.id}`)).status, 404);
      assert.equal((await m.api('DELETE', `/api/v1/offers/${spare.id}`)).body.code, 'offer.not_found');

      const audit = (await m.api('GET', '/api/v1/audit?action=offer.delete')).body;
      assert.equal(audit.items[0].target, 'Éphémère');
      assert.equal(audit.items[0].actor, 'admin@abri.test');
    });

    await t.test('as a customer: the catalogue is readable, nothing in it can be created, changed or removed', async () => {
      const { token } = await m.user('client@asso.test');
      const o = { token };
      const list = await m.api('GET', '/api/v1/offers', undefined, o);
      assert.equal(list.status, 200);
      assert.ok(list.body.total >= 1);
      const target = list.body.items[0];
      assert.equal((await m.api('GET', `/api/v1/offers/${target.id}`, undefined, o)).status, 200);
      for (const [method, path, body] of [
        ['POST', '/api/v1/offers', { name: 'Gratuit', priceCents: 0 }],
        ['PATCH', `/api/v1/offers/${target.id}`, { priceCents: 0 }],
        ['DELETE', `/api/v1/offers/${target.id}`, undefined],
      ] as const) {
        const r = await m.api(method, path, body, o);
        assert.equal(r.status, 403, `${method} ${path}`);
        assert.equal(r.body.code, 'auth.staff_only');
      }
      assert.equal((await m.api('GET', `/api/v1/offers/${target.id}`)).body.priceCents, target.priceCents, 'unchanged');
      assert.equal((await m.api('GET', '/api/v1/offers?q=Gratuit')).body.total, 0);
    });
  });
}
