// The floor of an API write phase: the same rows written straight in SQL, one transaction per API
// write, the same number in flight, on a fresh database of the same kind; no reads, no checks, no
// HTTP. What the API adds on top (authentication, validation, authorization, the reads of each
// operation, the response) is the gap between the two rates.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.js';
import type { TestDatabase } from '../test/helpers/databases.js';

const audit = (db: Db, action: string, targetType: string, targetId: string, target: string, customerId: string, after: object) =>
  sql`INSERT INTO audit_log (actor_id, actor, action, target_type, target_id, target, customer_id, address, after)
      VALUES (NULL, 'admin@abri.test', ${action}, ${targetType}, ${targetId}, ${target}, ${customerId}, '127.0.0.1', ${JSON.stringify(after)}::jsonb)`.execute(db);
const revision = async (db: Db, reason: string, servers: string[]) =>
  Number((await sql<{ id: string }>`INSERT INTO revisions (reason, server_ids) VALUES (${reason}, ${servers}::uuid[]) RETURNING id`.execute(db)).rows[0]!.id);

async function base(db: Db) {
  const customer = (await sql<{ id: string }>`INSERT INTO customers (name, contact_email) VALUES ('Replay', 'replay@abri.test') RETURNING id`.execute(db)).rows[0]!.id;
  const offer = (await sql<{ id: string }>`INSERT INTO offers (name, price_cents, billing_cycle, disk_mb, max_sites, max_mailboxes, mail_mb, max_databases, database_mb, max_ftp_users, ssh_allowed, tls_allowed, php_versions)
    VALUES ('Replay', 500, 'monthly', 1000, 1000, 5, 1000, 2, 200, 1, false, true, ARRAY['8.2']) RETURNING id`.execute(db)).rows[0]!.id;
  const server = (await sql<{ id: string }>`INSERT INTO servers (name, roles, addresses, agent_token_hash, local) VALUES ('local', ARRAY['edge','web'], ARRAY['127.0.0.1'], ${randomUUID()}, true) RETURNING id`.execute(db)).rows[0]!.id;
  return { customer, offer, server };
}

async function inFlight(count: number, concurrency: number, each: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await each(next++);
  }));
  return (performance.now() - t0) / 1000;
}

export interface ReplayResult { writes: number; seconds: number; writesPerSecond: number }
const result = (writes: number, seconds: number): ReplayResult => ({ writes, seconds: Math.round(seconds * 1000) / 1000, writesPerSecond: Math.round((writes / seconds) * 10) / 10 });

/** What converge-1000's API phase writes: per item a hosting (one transaction), then its site (another). */
export async function replayHostingsAndSites(database: TestDatabase, count: number, concurrency: number, uidBase: number): Promise<ReplayResult> {
  const handle = await database.open();
  try {
    const db = handle.db;
    const { customer, offer, server } = await base(db);
    const seconds = await inFlight(count, concurrency, async (i) => {
      const hosting = randomUUID();
      const name = `rpl${uidBase + i}`;
      await db.transaction().execute(async (trx) => {
        await sql`INSERT INTO hostings (id, customer_id, offer_id, server_id, name, uid, home, php_version) VALUES (${hosting}, ${customer}, ${offer}, ${server}, ${name}, ${uidBase + i}, ${`/home/${name}`}, '8.2')`.execute(trx);
        await audit(trx, 'hosting.create', 'hosting', hosting, name, customer, { name, status: 'active', phpVersion: '8.2', serverId: server });
        const rev = await revision(trx, `hosting ${name} created`, [server]);
        await sql`UPDATE hostings SET revision = ${rev} WHERE id = ${hosting}`.execute(trx);
      });
      const site = randomUUID();
      const domain = `site-${String(i).padStart(4, '0')}.replay.test`;
      await db.transaction().execute(async (trx) => {
        await sql`INSERT INTO sites (id, hosting_id, domain, aliases, document_root, php_version, https_mode, domain_sort, names_folded) VALUES (${site}, ${hosting}, ${domain}, '{}', ${domain}, '8.2', 'redirect', ${domain}, ${domain})`.execute(trx);
        await sql`INSERT INTO site_names (name, site_id) VALUES (${domain}, ${site})`.execute(trx);
        await audit(trx, 'site.create', 'site', site, domain, customer, { domain, aliases: [], documentRoot: domain, phpVersion: '8.2', httpsMode: 'redirect', status: 'active' });
        const rev = await revision(trx, `site ${domain} created`, [server]);
        await sql`UPDATE sites SET revision = ${rev} WHERE id = ${site}`.execute(trx);
        await sql`UPDATE hostings SET revision = ${rev} WHERE id = ${hosting}`.execute(trx);
        const zone = randomUUID();
        await sql`INSERT INTO zones (id, name, name_folded, customer_id, dns, edge_records, platform, revision) VALUES (${zone}, ${domain}, ${domain}, ${customer}, 'managed', true, false, ${rev})`.execute(trx);
        // the certificate row and its job (certificates are worked on by the job runner)
        const cert = randomUUID();
        await sql`INSERT INTO certificates (id, site_id, kind) VALUES (${cert}, ${site}, 'site')`.execute(trx);
        await sql`INSERT INTO jobs (kind, key, run_at) VALUES ('certificate', ${cert}, now())`.execute(trx);
      });
    });
    return result(2 * count, seconds);
  } finally {
    await handle.close();
  }
}

/** What dns-10000's API phase writes: per zone one transaction (the zone, its template records, audit, revision). */
export async function replayZones(database: TestDatabase, count: number, concurrency: number, template: Array<{ type: string; content: string }>): Promise<ReplayResult> {
  const handle = await database.open();
  try {
    const db = handle.db;
    const { customer } = await base(db);
    const seconds = await inFlight(count, concurrency, async (i) => {
      const zone = randomUUID();
      const name = `zone-${String(i).padStart(5, '0')}.replay.test`;
      await db.transaction().execute(async (trx) => {
        await sql`INSERT INTO zones (id, name, name_folded, customer_id, dns, edge_records, platform) VALUES (${zone}, ${name}, ${name}, ${customer}, 'managed', true, false)`.execute(trx);
        if (template.length) {
          await sql`INSERT INTO dns_records (zone_id, name, type, content, ttl) VALUES ${sql.join(template.map((r) => sql`(${zone}, ${name}, ${r.type}, ${r.content}, 3600)`))}`.execute(trx);
        }
        await audit(trx, 'zone.create', 'zone', zone, name, customer, { name, dns: 'managed', edgeRecords: true });
        const rev = await revision(trx, `zone ${name} created`, []);
        await sql`UPDATE zones SET revision = ${rev} WHERE id = ${zone}`.execute(trx);
      });
    });
    return result(count, seconds);
  } finally {
    await handle.close();
  }
}
