// The web database admin's settings reach the servers through their desired state: the web servers
// get the service key (and only they), the edges the route to every web server; a change of the
// settings (a new key, turned off) is published to them when the manager starts, a web server added
// or removed moves the edges' route. (Served for real: test/agent-dbadmin.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { buildDesiredState, lastRevisionFor } from '../src/agent/store.js';
import { publishDbadminSettings, SETTINGS_ACTION } from '../src/databases/operations-dbadmin-settings.js';
import { loadConfig } from '../src/platform/config.js';

const KEY = 'settings-key-'.padEnd(40, 's');

test('the key goes to web servers only, the route to the edges; a settings change is published once', async (t) => {
  const m = await startTestManager({ settings: { ABRI_DBADMIN_KEY: KEY, ABRI_PUBLIC_URL: 'https://panel.example.test' } });
  t.after(() => m.close());
  const app = m.manager.app;
  assert.equal(app.config.dbadmin.url, 'https://panel.example.test/dbadmin/', 'the key alone: on the platform\'s own name');
  const add = async (name: string, roles: string[], address: string) => (await m.api('POST', '/api/v1/servers', { name, roles, addresses: [address] })).body.id as string;
  const web = await add('web-1', ['web'], '192.0.2.10');
  const edge = await add('edge-1', ['edge'], '192.0.2.1');
  const db = await add('db-1', ['database'], '192.0.2.20');
  const state = (id: string) => buildDesiredState(app.db, app.config, id);

  assert.deepEqual((await state(web)).dbadmin, { path: '/dbadmin/', key: KEY });
  assert.equal((await state(db)).dbadmin, undefined, 'a database server never gets the key');
  assert.equal((await state(edge)).dbadmin, undefined, 'nor an edge');
  assert.doesNotMatch(JSON.stringify(await state(edge)), new RegExp(KEY));
  assert.deepEqual((await state(edge)).edge!.dbadmin, { host: 'panel.example.test', path: '/dbadmin/', servers: [{ name: 'web-1', address: '192.0.2.10' }] });

  // a second web server: the edges' route follows
  const before = await lastRevisionFor(app.db, edge);
  const web2 = await add('web-2', ['web'], '192.0.2.11');
  assert.ok((await lastRevisionFor(app.db, edge)) > before, 'the edge gets a revision');
  assert.deepEqual((await state(edge)).edge!.dbadmin!.servers.map((s) => s.name), ['web-1', 'web-2']);
  assert.equal((await m.api('DELETE', `/api/v1/servers/${web2}`)).status, 204);
  assert.deepEqual((await state(edge)).edge!.dbadmin!.servers.map((s) => s.name), ['web-1']);

  // published at start, once: the same settings again publish nothing
  const published = async () => (await app.db.selectFrom('auditLog').select(['after']).where('action', '=', SETTINGS_ACTION).orderBy('id').execute()).map((r) => r.after as { url: string | null; settings: string });
  assert.equal((await published()).length, 1);
  assert.doesNotMatch(JSON.stringify(await published()), new RegExp(KEY), 'a digest, never the key');
  assert.equal(await publishDbadminSettings(app), false);
  const [w0, e0, d0] = [await lastRevisionFor(app.db, web), await lastRevisionFor(app.db, edge), await lastRevisionFor(app.db, db)];
  // a new key: every web server and edge gets a revision, the database server none
  assert.equal(await publishDbadminSettings({ ...app, config: { ...app.config, dbadmin: { ...app.config.dbadmin, key: KEY.replace(/s$/, 't') } } }), true);
  assert.ok((await lastRevisionFor(app.db, web)) > w0 && (await lastRevisionFor(app.db, edge)) > e0);
  assert.equal(await lastRevisionFor(app.db, db), d0);
  // turned off: published too, and the servers' states say so (the web servers stop it)
  const off = { ...app, config: { ...app.config, dbadmin: { url: '', key: '' } } };
  assert.equal(await publishDbadminSettings(off), true);
  assert.equal(await publishDbadminSettings(off), false);
  assert.deepEqual((await published()).map((p) => p.settings === 'off'), [false, false, true]);
  assert.equal((await buildDesiredState(app.db, off.config, web)).dbadmin, undefined);
  assert.equal((await buildDesiredState(app.db, off.config, edge)).edge!.dbadmin, null);
});

test('settings: a URL whose path is not one folder, a short key, a key with a quote, a bad user or PHP version are refused', () => {
  const base = { ABRI_CONFIG: '/nonexistent', ABRI_SECRET_KEY: '' };
  for (const bad of [
    { ABRI_DBADMIN_KEY: KEY, ABRI_DBADMIN_URL: 'https://panel.example.test/' },
    { ABRI_DBADMIN_KEY: KEY, ABRI_DBADMIN_URL: 'https://panel.example.test/a/b/' },
    { ABRI_DBADMIN_KEY: KEY, ABRI_DBADMIN_URL: 'https://panel.example.test/dbadmin/?x=1' },
    { ABRI_DBADMIN_KEY: 'short' },
    { ABRI_DBADMIN_KEY: `${KEY}'` },
    { ABRI_DBADMIN_USER: 'root;id' },
    { ABRI_DBADMIN_PHP: '8' },
    { ABRI_DBADMIN_LISTEN: '8090' },
  ]) assert.throws(() => loadConfig({}, { ...base, ...bad }), /ABRI_DBADMIN_/, JSON.stringify(bad));
  const c = loadConfig({}, { ...base, ABRI_DBADMIN_KEY: KEY, ABRI_DBADMIN_URL: 'https://panel.example.test/db-admin/', ABRI_DBADMIN_UID: '66150' });
  assert.deepEqual([c.dbadmin.url, c.node.dbadmin.uid, c.node.dbadmin.user, c.node.dbadmin.port], ['https://panel.example.test/db-admin/', 66150, 'abri-dbadmin', 8090]);
  assert.deepEqual(loadConfig({}, base).dbadmin, { url: '', key: '' }, 'off by default');
});
