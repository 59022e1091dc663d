// The last health check of each mail server's sending addresses (migration 0033): a measure, written
// by the check (job or staff), no revision, no audit.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { AddressHealth, HealthProblem } from './rules-health.js';

export interface MailHealthRow { serverId: string; helo: string | null; ok: boolean; addresses: AddressHealth[]; problems: HealthProblem[]; checkedAt: Date }

export async function saveMailHealth(db: Db, row: MailHealthRow): Promise<void> {
  const values = { helo: row.helo, ok: row.ok, addresses: JSON.stringify(row.addresses), problems: JSON.stringify(row.problems), checkedAt: row.checkedAt };
  await db.insertInto('mailHealth').values({ serverId: row.serverId, ...values })
    .onConflict((oc) => oc.column('serverId').doUpdateSet(values)).execute();
}

export async function findMailHealth(db: Db, serverId: string): Promise<MailHealthRow | null> {
  const row = await db.selectFrom('mailHealth').selectAll().where('serverId', '=', serverId).executeTakeFirst();
  if (!row) return null;
  return { ...row, addresses: row.addresses as AddressHealth[], problems: row.problems as HealthProblem[], checkedAt: new Date(row.checkedAt) };
}

/** The servers with the mail role, oldest check first (never checked first). */
export async function mailServersToCheck(db: Db): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('servers').leftJoin('mailHealth', 'mailHealth.serverId', 'servers.id')
    .select(['servers.id', 'servers.name']).where(sql<boolean>`'mail' = ANY(servers.roles)`)
    .orderBy('mailHealth.checkedAt', (o) => o.asc().nullsFirst()).orderBy('servers.name').execute();
}
