// The site list's q goes through the stored, trigram-indexed `sites.search` column (migrations 0002,
// 0006): it must find exactly what a case-insensitive search of each column finds, plus the names
// and document root as people read them, accent-insensitive (q=élan and q=elan find élan.fr).
// sort=domain follows the Unicode form. And PGlite, which has no autovacuum, gets statistics from
// Abri's maintenance pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { pglite, testDatabases } from './helpers/databases.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { foldText } from '../src/platform/names.js';

const queries = ['ASSO', 'www.', 'Www.Asso', '{', '}', ',', '8.2', '8.', 'https-only', 'REDIRECT', 'disabled', 'active', 'public', '/public',
  '%', '_', '\\', 'a', 'é', 'xn--', 'vlo', 'b.fr', 'fr\nwww', 'org}', 'nothing-matches-this', 'élan', 'ELAN', 'elan.fr', 'Café', 'cafe', 'xn--lan', 'vélo', 'velo.ex'];

for (const database of testDatabases()) {
  test(`site search finds what ILIKE on every column finds (${database.name})`, async () => {
    const m = await startTestManager({ database, settings: { ABRI_PHP_VERSIONS: '8.2,8.3' } });
    try {
      const { hosting } = await seedHosting(m, { offer: { maxSites: 50, phpVersions: ['8.2', '8.3'] } });
      const sites = [
        { domain: 'asso-velo.fr', aliases: ['www.asso-velo.fr', 'vélo.example.org'], documentRoot: 'asso/public', phpVersion: '8.3', httpsMode: 'redirect' },
        { domain: 'b.fr', aliases: [], documentRoot: 'B_site~+@-x', httpsMode: 'https-only', status: 'disabled' },
        { domain: 'club.example.org', aliases: ['www.club.example.org'], httpsMode: 'both' },
        { domain: 'xn--caf-dma.fr', aliases: ['a.b.c.org', 'd.org'], documentRoot: 'Public/HTML' },
        { domain: 'élan.fr', aliases: [] },
      ];
      for (const s of sites) {
        const r = await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, s);
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const db = m.manager.app.db;
      for (const q of queries) {
        const api = await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=${encodeURIComponent(q)}&limit=1000`);
        if (/\n/.test(q)) {
          assert.equal(api.status, 400, 'q has no line break, which is what keeps the stored lines apart');
          continue;
        }
        // every searched column as stored (lower case), and the names and document root folded as people read them
        const folded = foldText(q);
        const pattern = `%${folded.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
        const expected = await db
          .selectFrom('sites')
          .select(['domain', 'domainSort'])
          .where('hostingId', '=', hosting.id)
          .where(sql<boolean>`(lower(domain) LIKE ${pattern} OR lower(aliases::text) LIKE ${pattern} OR lower(document_root) LIKE ${pattern}
            OR php_version LIKE ${pattern} OR https_mode LIKE ${pattern} OR status LIKE ${pattern})`)
          .execute();
        const shown = (await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?limit=1000`)).body.items as Array<{ domain: string; domainUnicode: string; aliasesUnicode: string[]; documentRoot: string }>;
        const byUnicode = shown.filter((s) => [s.domainUnicode, ...s.aliasesUnicode, s.documentRoot].some((v) => foldText(v).includes(folded))).map((s) => s.domain);
        const all = [...new Set([...expected.map((s) => s.domain), ...byUnicode])];
        const sortKey = new Map(shown.map((s) => [s.domain, foldText(s.domainUnicode)]));
        all.sort((a, b) => (sortKey.get(a)! < sortKey.get(b)! ? -1 : 1));
        assert.deepEqual(api.body.items.map((s: { domain: string }) => s.domain), all, `q=${JSON.stringify(q)}`);
        assert.equal(api.body.total, all.length);
      }
      // accent-insensitive on what people read, in both directions
      for (const q of ['élan', 'elan', 'ÉLAN.FR', 'xn--lan-9la']) {
        const found = (await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=${encodeURIComponent(q)}`)).body.items.map((s: { domainUnicode: string }) => s.domainUnicode);
        assert.deepEqual(found, ['élan.fr'], `q=${q}`);
      }
      const cafe = (await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=cafe`)).body.items.map((s: { domainUnicode: string }) => s.domainUnicode);
      assert.deepEqual(cafe, ['café.fr']);
      // sorted as people read them: café.fr, élan.fr among the c… and e…, not after every ASCII name
      const sorted = (await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?sort=domain&limit=100`)).body.items.map((s: { domainUnicode: string }) => s.domainUnicode);
      assert.deepEqual(sorted, ['asso-velo.fr', 'b.fr', 'café.fr', 'club.example.org', 'élan.fr']);
      // the stored column follows changes
      const club = (await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=club`)).body.items[0];
      await m.api('PATCH', `/api/v1/sites/${club.id}`, { aliases: ['shop.example.net'] });
      assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=SHOP.example`)).body.total, 1);
      assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=www.club`)).body.total, 0);
    } finally {
      await m.close();
    }
  });
}

test('PGlite maintenance vacuums and analyzes the tables that changed enough (pglite)', async () => {
  const handle = await pglite.open();
  try {
    const db = handle.db;
    await sql`CREATE TABLE maintenance_probe (id serial PRIMARY KEY, v text)`.execute(db);
    await sql`INSERT INTO maintenance_probe (v) SELECT 'v' || g FROM generate_series(1, 3000) g`.execute(db);
    const pass = await handle.maintain!();
    assert.ok(pass.vacuumed.includes('maintenance_probe') && pass.analyzed.includes('maintenance_probe'), JSON.stringify(pass));
    const { rows } = await sql<{ reltuples: number }>`SELECT reltuples FROM pg_class WHERE relname = 'maintenance_probe'`.execute(db);
    assert.equal(Number(rows[0].reltuples), 3000);
    assert.deepEqual(await handle.maintain!(), { vacuumed: [], analyzed: [] }, 'nothing changed since');
  } finally {
    await handle.close();
  }
});
