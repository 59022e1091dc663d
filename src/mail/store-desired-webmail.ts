// What a web server's webmail needs (Roundcube signs in to the mailbox's own mail server): every
// mail domain with its mail server's name and first address, and the ports of the mail servers; the
// edge's addresses, whose forwarded headers Roundcube trusts. Only names and addresses: the passwords
// stay with the mail servers.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { MailPorts } from '../platform/config-mail.js';
import type { DesiredState } from '../node/protocol.js';

/** `edgeToo`: the web server is also an edge (HAProxy reaches its webmail over the loopback). */
export async function webmailState(db: Db, host: string, ports: MailPorts, edgeToo = false): Promise<NonNullable<DesiredState['webmail']>> {
  const rows = await db.selectFrom('mailDomains').innerJoin('servers', 'servers.id', 'mailDomains.serverId')
    .select(['mailDomains.name', 'servers.name as server', 'servers.addresses'])
    .orderBy('mailDomains.name').execute();
  const edges = await db.selectFrom('servers').select(['addresses', 'publicAddresses']).where(sql<boolean>`'edge' = ANY(roles)`).orderBy('name').execute();
  const proxies = [...new Set([...(edgeToo ? ['127.0.0.1', '::1'] : []), ...edges.flatMap((e) => [...e.addresses, ...e.publicAddresses])])];
  return {
    proxies,
    host,
    domains: rows.map((r) => ({ name: r.name, server: r.server, address: r.addresses[0] ?? '127.0.0.1' })),
    ports: { imaps: ports.imaps, submission: ports.submission },
  };
}
