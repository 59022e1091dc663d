// DNS records through the HTTP API: every type valid and invalid (the field of each error), the
// platform's managed names, CNAME rules, duplicates, one TTL per rrset, changes and removals, and
// the list contract (q, sort, limit + cursor). Zones, tenants and audit: test/api-dns.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { allRecords, dnsWorld, edge, expectProblem, expectStatus } from './helpers/dns.js';

const zone = 'velo.org';
const records = `/api/v1/zones/${zone}/records`;

for (const database of testDatabases()) {
  test(`DNS records through the API (${database.name})`, async (t) => {
    const w = await dnsWorld(database);
    const { m } = w;
    t.after(() => m.close());
    await w.addSite('shop.velo.org');
    const post = (body: Record<string, unknown>) => m.api('POST', records, body);
    const add = async (body: Record<string, unknown>) => expectStatus(await post(body), 201, JSON.stringify(body));
    const at = async (relative: string) => (await allRecords(m, zone)).filter((r) => r.relativeName === relative);

    await t.test('records of every type are stored in canonical form', async () => {
      const rows: Array<[name: string, type: string, content: string, fullName: string, canonical: string]> = [
        ['mail', 'A', ' 198.51.100.25 ', 'mail.velo.org', '198.51.100.25'],
        ['mail', 'AAAA', '2001:DB8:0:0:0:0:0:25', 'mail.velo.org', '2001:db8::25'],
        ['Ateliers', 'CNAME', 'Ateliers.Partner.example', 'ateliers.velo.org', 'ateliers.partner.example.'],
        ['@', 'MX', '30 backup-mx.example.net.', 'velo.org', '30 backup-mx.example.net.'],
        ['nomail', 'MX', '0 .', 'nomail.velo.org', '0 .'],
        ['_dmarc', 'TXT', 'v=DMARC1; p=none; rua=mailto:"dmarc"@velo.org', '_dmarc.velo.org', '"v=DMARC1; p=none; rua=mailto:\\"dmarc\\"@velo.org"'],
        ['note', 'TXT', '"caf\\195\\169" "two"', 'note.velo.org', '"caf\\195\\169" "two"'],
        ['long', 'TXT', 'x'.repeat(300), 'long.velo.org', `"${'x'.repeat(255)}" "${'x'.repeat(45)}"`],
        ['_sip._tcp', 'SRV', '10 5 5060 sip.voip.example', '_sip._tcp.velo.org', '10 5 5060 sip.voip.example.'],
        ['@', 'CAA', '0 issue letsencrypt.org', 'velo.org', '0 issue "letsencrypt.org"'],
        ['@', 'CAA', '128 iodef "mailto:security@velo.org"', 'velo.org', '128 iodef "mailto:security@velo.org"'],
        ['lab', 'NS', 'ns1.lab.example', 'lab.velo.org', 'ns1.lab.example.'],
        ['*.dev', 'A', '198.51.100.30', '*.dev.velo.org', '198.51.100.30'],
        ['bücher.velo.org.', 'A', '198.51.100.31', 'xn--bcher-kva.velo.org', '198.51.100.31'],
      ];
      for (const [name, type, content, fullName, canonical] of rows) {
        const r = await add({ name, type, content });
        assert.equal(r.name, fullName, `${type} ${name}`);
        assert.equal(r.content, canonical, `${type} ${name}`);
        assert.equal(r.type, type);
        assert.equal(r.ttl, 3600, 'the default TTL');
        assert.equal(r.managed, false);
        assert.match(r.id, /^[0-9a-f-]{36}$/);
      }
      const stored = await allRecords(m, zone);
      for (const [, type, , fullName, canonical] of rows) {
        assert.ok(stored.some((r) => r.name === fullName && r.type === type && r.content === canonical), `${type} ${fullName} listed`);
      }
      assert.equal(stored.find((r) => r.name === 'xn--bcher-kva.velo.org')?.relativeName, 'xn--bcher-kva');
    });

    await t.test('invalid records answer 400 record.invalid with the field of each error', async () => {
      const rows: Array<[body: Record<string, unknown>, paths: string[], message: RegExp]> = [
        [{ name: 'x', type: 'A', content: '2001:db8::1' }, ['body.content'], /IPv4/],
        [{ name: 'x', type: 'AAAA', content: '192.0.2.1' }, ['body.content'], /IPv6/],
        [{ name: 'x', type: 'AAAA', content: '::ffff:192.0.2.1' }, ['body.content'], /A record/],
        [{ name: 'x', type: 'CNAME', content: 'nodots' }, ['body.content'], /full host name/],
        [{ name: 'x', type: 'CNAME', content: '192.0.2.1' }, ['body.content'], /not an IP address/],
        [{ name: '@', type: 'MX', content: '70000 mx.example.net' }, ['body.content'], /priority 0–65535/],
        [{ name: '@', type: 'MX', content: '10 .' }, ['body.content'], /null MX/],
        [{ name: 'x', type: 'TXT', content: 'line\nbreak' }, ['body.content'], /line breaks/],
        [{ name: 'x', type: 'TXT', content: '"unclosed' }, ['body.content'], /unclosed quote/],
        [{ name: 'x', type: 'TXT', content: 'k'.repeat(2049) }, ['body.content'], /2048 bytes/],
        [{ name: '_sip._tcp', type: 'SRV', content: '10 5 sip.example.net' }, ['body.content'], /PRIORITY WEIGHT PORT TARGET/],
        [{ name: 'sip', type: 'SRV', content: '10 5 5060 sip.example.net' }, ['body.name'], /_service._protocol/],
        [{ name: '@', type: 'CAA', content: '0 issue "bad ca"' }, ['body.content'], /CA domain/],
        [{ name: '@', type: 'CAA', content: '0 policy "x"' }, ['body.content'], /issue, issuewild or iodef/],
        [{ name: '@', type: 'CNAME', content: 'elsewhere.example.net' }, ['body.name'], /apex/],
        [{ name: 'velo.org.', type: 'CNAME', content: 'elsewhere.example.net' }, ['body.name'], /apex/],
        [{ name: '@', type: 'NS', content: 'ns.example.net' }, ['body.name'], /delegate a sub-domain/],
        [{ name: 'www.other.org.', type: 'A', content: '192.0.2.1' }, ['body.name'], /not in the zone velo\.org/],
        [{ name: 'a b', type: 'A', content: '192.0.2.1' }, ['body.name'], /letters, digits/],
        [{ name: 'a\nb', type: 'A', content: '192.0.2.1' }, ['body.name'], /line breaks/],
        [{ name: 'x.*', type: 'A', content: '192.0.2.1' }, ['body.name'], /\* as its first label/],
        [{ name: `_${'a'.repeat(63)}`, type: 'TXT', content: 'x' }, ['body.name'], /invalid label/],
        // every error at once
        [{ name: 'bad name', type: 'A', content: 'not-an-ip' }, ['body.name', 'body.content'], /name: .*; content: /],
      ];
      for (const [body, paths, message] of rows) {
        const r = await post(body);
        for (const path of paths) expectProblem(r, 400, 'record.invalid', path, JSON.stringify(body));
        assert.equal(r.body.errors.length, paths.length, JSON.stringify(r.body));
        assert.match(r.body.detail, message, JSON.stringify(body));
      }
      // the schema refuses unknown types, bad TTLs, oversized fields and unknown fields
      const schema: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x', type: 'PTR', content: 'x.example.net' }, 'body.type'], [{ name: 'x', type: 'a', content: '192.0.2.1' }, 'body.type'],
        [{ name: 'x', type: 'A', content: '192.0.2.1', ttl: 59 }, 'body.ttl'], [{ name: 'x', type: 'A', content: '192.0.2.1', ttl: 604_801 }, 'body.ttl'],
        [{ name: 'x', type: 'A', content: '192.0.2.1', ttl: 300.5 }, 'body.ttl'], [{ name: 'x', type: 'A', content: '192.0.2.1', ttl: '300' }, 'body.ttl'],
        [{ name: 'x', type: 'TXT', content: 'k'.repeat(4001) }, 'body.content'], [{ name: 'x'.repeat(301), type: 'A', content: '192.0.2.1' }, 'body.name'],
        [{ name: 'x', type: 'A' }, 'body.content'], [{ type: 'A', content: '192.0.2.1' }, 'body.name'],
      ];
      for (const [body, path] of schema) expectProblem(await post(body), 400, 'request.validation', path, JSON.stringify(body).slice(0, 80));
      const ttlMessage = (await post({ name: 'x', type: 'A', content: '192.0.2.1', ttl: 30 })).body.errors[0].message;
      assert.match(ttlMessage, /at least 60 seconds/);
      expectProblem(await post({ name: 'x', type: 'A', content: '192.0.2.1', id: 'forged' }), 400, 'request.validation');
      assert.deepEqual((await at('x')), [], 'nothing was stored');
    });

    await t.test('names the platform keeps answer 409 record.managed_conflict', async () => {
      const rows: Array<[name: string, type: string, content: string]> = [
        ['shop', 'A', '198.51.100.1'], ['shop.velo.org.', 'AAAA', '2001:db8::1'], ['www', 'A', '198.51.100.1'], ['www', 'AAAA', '2001:db8::1'],
        ['@', 'A', '198.51.100.1'], ['@', 'AAAA', '2001:db8::1'], ['shop', 'CNAME', 'elsewhere.example.net'], ['www', 'CNAME', 'elsewhere.example.net'],
      ];
      for (const [name, type, content] of rows) {
        const r = await post({ name, type, content });
        expectProblem(r, 409, 'record.managed_conflict', 'body.name', `${type} at ${name}`);
        assert.ok(r.body.detail.includes(type === 'AAAA' ? edge.v6 : edge.v4), `the problem shows what the platform keeps there: ${r.body.detail}`);
      }
      // other types live next to the platform's records
      for (const [name, type, content] of [['shop', 'TXT', 'shop verification'], ['www', 'MX', '10 mx.example.net'], ['shop', 'CAA', '0 issue ";"']]) {
        await add({ name, type, content });
      }
    });

    await t.test('an NS record cannot delegate away a name the platform keeps', async () => {
      const accepted: string[] = [];
      for (const name of ['shop', 'www']) {
        const r = await post({ name, type: 'NS', content: 'ns.elsewhere.example' });
        if (r.status === 201) {
          accepted.push(name);
          expectStatus(await m.api('DELETE', `${records}/${r.body.id}`), 204);
        } else expectProblem(r, 409, 'record.managed_conflict', 'body.name');
      }
      assert.deepEqual(accepted, []);
    });

    await t.test('a CNAME is alone at its name: 409 record.cname_conflict; duplicates: 409 record.exists', async () => {
      await add({ name: 'alias', type: 'CNAME', content: 'target.example.net' });
      expectProblem(await post({ name: 'alias', type: 'TXT', content: 'x' }), 409, 'record.cname_conflict', 'body.name');
      expectProblem(await post({ name: 'alias', type: 'CNAME', content: 'other.example.net' }), 409, 'record.cname_conflict', 'body.type');
      expectProblem(await post({ name: 'mail', type: 'CNAME', content: 'other.example.net' }), 409, 'record.cname_conflict', 'body.type');
      const exists: Array<[string, string, string]> = [
        ['alias', 'CNAME', 'TARGET.example.net.'], ['mail', 'A', '198.51.100.25'], ['@', 'MX', '10 MX1.abri-mail.net'], ['@', 'TXT', '"v=spf1 mx -all"'], ['@', 'TXT', 'v=spf1 mx -all'],
        ['mail.velo.org', 'AAAA', '2001:db8:0::25'],
      ];
      for (const [name, type, content] of exists) expectProblem(await post({ name, type, content }), 409, 'record.exists', 'body.content', `${type} ${content}`);
    });

    await t.test('one TTL per name and type: setting it on one record sets the rrset\'s', async () => {
      const a = await add({ name: 'pool', type: 'A', content: '198.51.100.1' });
      await add({ name: 'pool', type: 'TXT', content: 'other type' });
      await add({ name: 'pool', type: 'A', content: '198.51.100.2', ttl: 60 });
      const ttls = async () => (await at('pool')).map((r) => `${r.type} ${r.content} ${r.ttl}`).sort();
      assert.deepEqual(await ttls(), ['A 198.51.100.1 60', 'A 198.51.100.2 60', 'TXT "other type" 3600']);
      expectStatus(await m.api('PATCH', `${records}/${a.id}`, { ttl: 604_800 }), 200);
      assert.deepEqual(await ttls(), ['A 198.51.100.1 604800', 'A 198.51.100.2 604800', 'TXT "other type" 3600']);
      expectProblem(await m.api('PATCH', `${records}/${a.id}`, { ttl: 59 }), 400, 'request.validation', 'body.ttl');
      expectProblem(await m.api('PATCH', `${records}/${a.id}`, { ttl: 604_801 }), 400, 'request.validation', 'body.ttl');
      assert.deepEqual(await ttls(), ['A 198.51.100.1 604800', 'A 198.51.100.2 604800', 'TXT "other type" 3600'], 'refused TTLs change nothing');
    });

    await t.test('a record added without a TTL takes its rrset\'s TTL', async () => {
      await add({ name: 'short', type: 'A', content: '198.51.100.61', ttl: 60 });
      await add({ name: 'short', type: 'A', content: '198.51.100.62' });
      assert.deepEqual((await at('short')).map((r) => r.ttl), [60, 60]);
    });

    await t.test('PATCH checks the record as a whole; DELETE removes it', async () => {
      const r = await add({ name: 'edit', type: 'A', content: '198.51.100.40' });
      const path = `${records}/${r.id}`;
      const patched = expectStatus(await m.api('PATCH', path, { content: ' 198.51.100.41 ' }), 200);
      assert.deepEqual([patched.name, patched.type, patched.content, patched.ttl, patched.id], ['edit.velo.org', 'A', '198.51.100.41', 3600, r.id]);
      expectStatus(await m.api('PATCH', path, { content: '198.51.100.41' }), 200, 'saving a record unchanged is not a duplicate');
      // a new type needs content of that type
      expectProblem(await m.api('PATCH', path, { type: 'AAAA' }), 400, 'record.invalid', 'body.content');
      const moved = expectStatus(await m.api('PATCH', path, { type: 'AAAA', content: '2001:db8::41', name: 'edit2' }), 200);
      assert.deepEqual([moved.name, moved.type, moved.content], ['edit2.velo.org', 'AAAA', '2001:db8::41']);
      expectProblem(await m.api('PATCH', path, { name: 'www' }), 409, 'record.managed_conflict', 'body.name');
      expectProblem(await m.api('PATCH', path, { name: 'mail', content: '2001:db8::25' }), 409, 'record.exists');
      expectProblem(await m.api('PATCH', path, { type: 'CNAME', content: 'x.example.net', name: '@' }), 400, 'record.invalid', 'body.name');
      expectProblem(await m.api('PATCH', path, { type: 'CNAME', content: 'x.example.net', name: 'alias' }), 409, 'record.cname_conflict');
      expectProblem(await m.api('PATCH', path, { name: 'bad name', content: 'bad' }), 400, 'record.invalid', 'body.name');
      expectProblem(await m.api('PATCH', path, { managed: true }), 400, 'request.validation');
      const cname = (await at('alias'))[0]!;
      expectStatus(await m.api('PATCH', `${records}/${cname.id}`, { content: 'moved.example.net' }), 200, 'a CNAME may change its own target');
      assert.deepEqual((await at('edit2')).map((x) => x.content), ['2001:db8::41'], 'refused changes left it as it was');
      expectStatus(await m.api('DELETE', path), 204);
      expectProblem(await m.api('DELETE', path), 404, 'record.not_found');
      expectProblem(await m.api('GET', path), 404, 'record.not_found');
      expectProblem(await m.api('PATCH', path, { ttl: 600 }), 404, 'record.not_found');
      expectProblem(await m.api('GET', `${records}/not-a-uuid`), 404, 'record.not_found');
      assert.deepEqual(await at('edit2'), []);
    });

    await t.test('a site over a customer\'s records: the platform takes over its A/AAAA/CNAME there', async () => {
      await add({ name: 'later', type: 'A', content: '198.51.100.50' });
      await add({ name: 'later', type: 'TXT', content: 'kept' });
      await add({ name: 'later2', type: 'CNAME', content: 'x.example.net' });
      await w.addSite('later.velo.org', ['later2.velo.org']);
      const later = (await at('later')).map((r) => `${r.type} ${r.content} ${r.managed}`).sort();
      assert.deepEqual(later, [`A ${edge.v4} true`, `AAAA ${edge.v6} true`, 'TXT "kept" false']);
      assert.deepEqual((await at('later2')).map((r) => `${r.type} ${r.managed}`).sort(), ['A true', 'AAAA true']);
    });

    await t.test('the records list: q, sort, limit and cursor', async () => {
      const all = await allRecords(m, zone);
      const list = async (query: string) => m.api('GET', `${records}?${query}`);
      const mx = expectStatus(await list('q=abri-mail'), 200);
      assert.deepEqual(mx.items.map((r: { type: string }) => r.type), ['MX', 'MX']);
      assert.equal(mx.total, 2);
      const q = expectStatus(await list(`q=${encodeURIComponent('BÜCHER')}`), 200);
      assert.deepEqual(q.items.map((r: { name: string }) => r.name), ['xn--bcher-kva.velo.org'], 'q matches the Unicode name too');
      const byType = expectStatus(await list('sort=-type&limit=1000'), 200).items.map((r: { type: string }) => r.type);
      assert.deepEqual(byType, [...byType].sort().reverse());
      assert.equal(byType[0], 'TXT');
      const byTtl = expectStatus(await list('sort=ttl&limit=1000'), 200).items.map((r: { ttl: number }) => r.ttl);
      assert.deepEqual(byTtl, [...byTtl].sort((a, b) => a - b));
      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const p = expectStatus(await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`), 200);
        assert.ok(p.items.length <= 2);
        assert.equal(p.total, all.length);
        paged.push(...p.items.map((r: { name: string; type: string; content: string }) => `${r.name} ${r.type} ${r.content}`));
        cursor = p.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      assert.equal(pages, Math.ceil(all.length / 2));
      assert.deepEqual(paged, all.map((r) => `${r.name} ${r.type} ${r.content}`));
      assert.equal(new Set(paged).size, paged.length, 'no record twice');
      for (const forged of ['garbage!!', Buffer.from('-1').toString('base64url'), Buffer.from('99999').toString('base64url'), Buffer.from('1.5').toString('base64url')]) {
        expectProblem(await list(`limit=2&cursor=${forged}`), 400, 'request.invalid_cursor', undefined, forged);
      }
      expectProblem(await list('sort=secret'), 400, 'request.invalid_sort');
      expectProblem(await list('limit=0'), 400, 'request.validation');
      expectProblem(await list('limit=1001'), 400, 'request.validation');
    });
  });
}
