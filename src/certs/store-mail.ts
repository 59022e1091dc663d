// The mail servers' certificates (kind "mail", one per mail server, 0042): each covers the name the
// mail records point to (mailHost: the server's name, or <name>.<platform domain>), is ordered and
// renewed by the controller like the others, and is given to its own mail server only.
import type { Db } from '../platform/db/database.js';
import { serversWithRole } from '../servers/store-provisioning.js';
import { mailHost } from '../dns/mail-records.js';
import { certificateColumns, certificateDue, type Asked, type CertificateRow } from './store.js';

export async function mailCertificate(db: Db, serverId: string): Promise<CertificateRow | null> {
  return ((await db.selectFrom('certificates').select(certificateColumns).where('serverId', '=', serverId).executeTakeFirst()) as CertificateRow | undefined) ?? null;
}

/**
 * The mail server's certificate row, created when missing, with its job due (now when nothing is
 * issued yet, else at its renewal); none for a server its mail records cannot name (no host name,
 * no platform domain).
 */
export async function mailCertificateWanted(db: Db, serverId: string, asked: Asked, platformDomain: string | null): Promise<CertificateRow | null> {
  const server = await mailCertificateServer(db, serverId);
  if (!server || !mailHost(server.name, platformDomain)) return null;
  await db.insertInto('certificates').values({ kind: 'mail', serverId }).onConflict((oc) => oc.column('serverId').doNothing()).execute();
  const row = (await mailCertificate(db, serverId))!;
  const due = !row.certPem || !row.renewAt ? asked.now : new Date(row.renewAt);
  await certificateDue(db, row.id, due, asked, { unlessPlanned: true });
  return row;
}

/** Every mail server gets its certificate (the manager's start: servers given the mail role since). */
export async function mailCertificatesWanted(db: Db, asked: Asked, platformDomain: string | null): Promise<void> {
  for (const serverId of await serversWithRole(db, 'mail')) await mailCertificateWanted(db, serverId, asked, platformDomain);
}

/** The server a mail certificate is for: its name and roles, or null when it is gone. */
export async function mailCertificateServer(db: Db, serverId: string): Promise<{ id: string; name: string; roles: string[] } | null> {
  return (await db.selectFrom('servers').select(['id', 'name', 'roles']).where('id', '=', serverId).executeTakeFirst()) ?? null;
}

/** The servers' names, by id (the views of mail certificates). */
export async function serverNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  return new Map((await db.selectFrom('servers').select(['id', 'name']).where('id', 'in', ids).execute()).map((s) => [s.id, s.name]));
}

/** What a mail server's desired state names: its issued, unexpired certificate (the agent fetches the PEM by id), or null. */
export async function desiredMailCertificate(db: Db, serverId: string, now = new Date()): Promise<{ id: string; fingerprint: string } | null> {
  const row = await db.selectFrom('certificates').select(['id', 'fingerprint'])
    .where('serverId', '=', serverId).where('kind', '=', 'mail').where('certPem', 'is not', null).where('keySealed', 'is not', null).where('notAfter', '>', now)
    .executeTakeFirst();
  return row?.fingerprint ? { id: row.id, fingerprint: row.fingerprint } : null;
}

/**
 * Whether a server may fetch a certificate's PEM (its private key): an edge every certificate but the
 * mail servers', a web server the platform's (its FTPS), a mail server its own only.
 */
export async function mayFetchCertificate(db: Db, id: string, server: { id: string; roles: string[] }): Promise<boolean> {
  const c = await db.selectFrom('certificates').select(['kind', 'serverId']).where('id', '=', id).executeTakeFirst();
  if (!c) return false;
  if (c.kind === 'mail') return server.roles.includes('mail') && c.serverId === server.id;
  return server.roles.includes('edge') || (server.roles.includes('web') && c.kind === 'platform');
}

/** The servers a certificate's change concerns: its mail server, or every edge. */
export async function certificateServers(db: Db, cert: Pick<CertificateRow, 'kind' | 'serverId'>): Promise<string[]> {
  return cert.kind === 'mail' ? [cert.serverId!] : serversWithRole(db, 'edge');
}
