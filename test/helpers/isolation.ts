// Tenant isolation (isolation-*.test.ts): two customers A and B, each with a hosting, a site and an
// owner, a readonly user on A, and one object of every kind; A's references per kind, the secrets of
// A that B must never see, and a snapshot of A's objects to prove nothing changed.
import assert from 'node:assert/strict';
import { offerBody, type Answer, type TestManager } from './manager.js';
import { counter, paramKinds, type Kind, type Operation } from './api-walk.js';
import { insertNotices } from '../../src/notices/store.js';

// claims are verified against this resolver: nothing answers there, no packet leaves the machine
export const settings = { ABRI_DNS_RESOLVER: '127.0.0.1:9' };

export const ok = (a: Answer, status: number, what: string) => assert.equal(a.status, status, `${what}: ${a.status} ${JSON.stringify(a.body)}`);

export async function joined(m: TestManager, customerId: string, email: string, role: 'owner' | 'manager' | 'readonly') {
  const a = await m.join(customerId, email, role);
  ok(a, 201, `${email} joins as ${role}`);
  return a.body;
}

export async function created(m: TestManager, path: string, body: unknown, token?: string) {
  const a = await m.api('POST', path, body, token ? { token } : {});
  ok(a, 201, `POST ${path}`);
  return a.body;
}

/** Two customers, each with a hosting, a site and an owner; a readonly user on A; a token of a. */
export async function seed(m: TestManager) {
  const offer = await created(m, '/api/v1/offers', offerBody({ name: 'Shared offer', maxFtpUsers: 2 }));
  // the offer customers may move their hostings to by themselves (a change of offer's preview)
  const offerTo = await created(m, '/api/v1/offers', offerBody({ name: 'Larger offer', maxFtpUsers: 5, maxSites: 10, maxDatabases: 10, maxMailboxes: 10, selfService: true }));
  const server = await created(m, '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.1'] });
  await created(m, '/api/v1/servers', { name: 'db-1', roles: ['database'], addresses: ['192.0.2.2'] });
  await created(m, '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.4'] });
  const customerA = await created(m, '/api/v1/customers', { name: 'Alpha Corp', contactEmail: 'contact@alpha-corp.test', postalAddress: '1 Alpha street' });
  const customerB = await created(m, '/api/v1/customers', { name: 'Bravo Org', contactEmail: 'contact@bravo-org.test' });
  const hostingA = await created(m, '/api/v1/hostings', { customerId: customerA.id, offerId: offer.id });
  // a backup repository for A only (a backup server, then the assignment, before B exists): A's backups are read by its
  // web server (no agent here: unreachable), B's hosting has none (no backup id of it is found)
  await created(m, '/api/v1/servers', { name: 'backup-1', roles: ['backup'], addresses: ['192.0.2.6'] });
  ok(await m.api('POST', '/api/v1/backups/assign'), 200, 'a repository for A');
  const hostingB = await created(m, '/api/v1/hostings', { customerId: customerB.id, offerId: offer.id });
  const siteA = await created(m, `/api/v1/hostings/${hostingA.id}/sites`, { domain: 'alpha-site.test', aliases: ['www.alpha-site.test'] });
  const siteB = await created(m, `/api/v1/hostings/${hostingB.id}/sites`, { domain: 'bravo-site.test' });
  // a database with its user each (the user of A has a password b must never learn)
  const databaseA = await created(m, `/api/v1/hostings/${hostingA.id}/databases`, { name: 'alphadb', user: true });
  const databaseB = await created(m, `/api/v1/hostings/${hostingB.id}/databases`, { name: 'bravodb', user: true });
  // an SFTP user each, with a password and a key (A's password and key id b must never learn)
  const sftpA = await created(m, `/api/v1/hostings/${hostingA.id}/sftp-users`, { name: 'alphaftp', keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID0QT+0emWvDI0mychwQ8nFBIRtKIcT81KL+nx2hrJTH me@laptop'] });
  const sftpB = await created(m, `/api/v1/hostings/${hostingB.id}/sftp-users`, { name: 'bravoftp', keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID0QT+0emWvDI0mychwQ8nFBIRtKIcT81KL+nx2hrJTH me@laptop'] });
  // an FTP user each (A's password b must never learn)
  const ftpA = await created(m, `/api/v1/hostings/${hostingA.id}/ftp-users`, { name: 'alphaftps', folder: 'var/www/alpha' });
  const ftpB = await created(m, `/api/v1/hostings/${hostingB.id}/ftp-users`, { name: 'bravoftps' });
  // a scheduled task each
  const cronA = await created(m, `/api/v1/hostings/${hostingA.id}/cron-tasks`, { command: 'echo alpha', schedule: '@daily' });
  const cronB = await created(m, `/api/v1/hostings/${hostingB.id}/cron-tasks`, { command: 'echo bravo', schedule: '@daily' });
  // mail: a domain each (their sites' names), a mailbox and an alias each (A's password b must never learn)
  const mailDomainA = await created(m, `/api/v1/hostings/${hostingA.id}/mail-domains`, { name: 'www.alpha-site.test' });
  const mailDomainB = await created(m, `/api/v1/hostings/${hostingB.id}/mail-domains`, { name: 'bravo-site.test' });
  const mailboxA = await created(m, `/api/v1/mail-domains/${mailDomainA.id}/mailboxes`, { localPart: 'alphabox', quotaMb: 10 });
  const mailboxB = await created(m, `/api/v1/mail-domains/${mailDomainB.id}/mailboxes`, { localPart: 'bravobox', quotaMb: 10 });
  const mailAliasA = await created(m, `/api/v1/mail-domains/${mailDomainA.id}/aliases`, { localPart: 'alphalias', destinations: ['alpha-forward@elsewhere.test'] });
  const mailAliasB = await created(m, `/api/v1/mail-domains/${mailDomainB.id}/aliases`, { localPart: 'bravolias', destinations: ['bravo@elsewhere.test'] });
  const a = await m.user('a@alpha-corp.test');
  const b = await m.user('b@bravo-org.test');
  const r = await m.user('r@alpha-corp.test');
  const delegationA = await joined(m, customerA.id, 'a@alpha-corp.test', 'owner');
  const delegationB = await joined(m, customerB.id, 'b@bravo-org.test', 'owner');
  const delegationR = await joined(m, customerA.id, 'r@alpha-corp.test', 'readonly');
  // A's owner invites an existing account that acts for nobody yet; B's owner someone new
  await m.user('x@elsewhere.test');
  const invitationA = await created(m, `/api/v1/customers/${customerA.id}/invitations`, { email: 'x@elsewhere.test', role: 'owner' }, a.token);
  const invitationB = await created(m, `/api/v1/customers/${customerB.id}/invitations`, { email: 'new@bravo-org.test', role: 'manager' }, b.token);
  const tokenA = await created(m, '/api/v1/tokens', { name: 'alpha-secret-token' }, a.token);
  const tokenB = await created(m, '/api/v1/tokens', { name: 'bravo-token' }, b.token);
  // sites create the zones of their domains
  const zoneA = (await m.api('GET', '/api/v1/zones/alpha-site.test')).body;
  const zoneB = (await m.api('GET', '/api/v1/zones/bravo-site.test')).body;
  const recordA = await created(m, `/api/v1/zones/${zoneA.id}/records`, { name: 'mail', type: 'A', content: '192.0.2.99' });
  const recordB = await created(m, `/api/v1/zones/${zoneB.id}/records`, { name: 'mail', type: 'A', content: '192.0.2.98' });
  // the certificate jobs of the sites (staff only: b and r must be refused them)
  const certA = (await m.api('GET', `/api/v1/sites/${siteA.id}/certificate`)).body;
  const jobA = (await m.api('GET', `/api/v1/jobs?kind=certificate&q=${certA.id}`)).body.items[0];
  assert.ok(jobA, 'the certificate of A has a job');
  // claims of domains, and notices (what a zone takeover leaves), one each
  const claimA = await created(m, '/api/v1/zone-claims', { name: 'alpha-claim.test', customerId: customerA.id });
  const claimB = await created(m, '/api/v1/zone-claims', { name: 'bravo-claim.test', customerId: customerB.id });
  await insertNotices(m.manager.app.db, [
    { customerId: customerA.id, kind: 'zone.lost', message: 'alpha-notice: Another customer proved alpha-lost.test', params: { zone: 'alpha-lost.test' } },
    { customerId: customerB.id, kind: 'zone.won', message: 'bravo-notice', params: {} },
  ], new Date());
  const noticeOf = async (customerId: string) => (await m.api('GET', `/api/v1/notices?customerId=${customerId}`)).body.items[0];
  const noticeA = await noticeOf(customerA.id);
  const noticeB = await noticeOf(customerB.id);
  // the platform's e-mail (staff only): A's invitation message
  const outboxA = (await m.api('GET', '/api/v1/outbox?q=x@elsewhere.test')).body.items[0];
  assert.ok(outboxA, 'the invitation of A was queued');
  const appPasswordA = await created(m, `/api/v1/mailboxes/${mailboxA.id}/app-passwords`, { name: 'alpha-phone' }, a.token);
  const appPasswordB = await created(m, `/api/v1/mailboxes/${mailboxB.id}/app-passwords`, { name: 'bravo-phone' }, b.token);
  // a work each: A's hosting moves to a web server of its own, where the work of A is announced
  await created(m, '/api/v1/servers', { name: 'web-alpha', roles: ['web'], addresses: ['192.0.2.5'] });
  ok(await m.api('PATCH', `/api/v1/hostings/${hostingA.id}`, { serverId: 'web-alpha' }), 200, 'hosting A moves to web-alpha');
  // a channel told about works (staff only), and its delivery of the works below (to a closed port: it waits)
  const channel = await created(m, '/api/v1/work-channels', { kind: 'webhook', name: 'isolation-hook', url: 'http://127.0.0.1:9/hook', secret: 'isolation-secret-0123456789' });
  const workOf = (server: string, title: string) => created(m, '/api/v1/works', {
    kind: 'maintenance', title: { fr: title, en: title }, affects: { servers: [server] }, plannedStart: '2030-01-01T02:00:00Z', plannedMinutes: 30,
  });
  const workA = await workOf('web-alpha', 'alpha-work on web-alpha');
  const workB = await workOf('web-1', 'bravo-work on web-1');
  // an invoice each (billing needs the seller's name and address first)
  ok(await m.api('PATCH', '/api/v1/billing/seller', { name: 'The Host', address: '1 Host street' }), 200, 'seller settings');
  const invoiceA = await created(m, '/api/v1/invoices', { hostingId: hostingA.id });
  const invoiceB = await created(m, '/api/v1/invoices', { hostingId: hostingB.id });
  // a cheque received for A's invoice, in part (its reference is A's secret)
  ok(await m.api('POST', `/api/v1/invoices/${invoiceA.id}/payments`, { amountCents: 1, method: 'cheque', reference: 'alpha-cheque-777' }), 201, 'payment of A');
  // an order each, awaiting payment (A's for a domain of its own)
  const orderA = await created(m, '/api/v1/orders', { customerId: customerA.id, offerId: offer.id, domain: 'alpha-order.test' });
  const orderB = await created(m, '/api/v1/orders', { customerId: customerB.id, offerId: offer.id });
  // a restore from a snapshot each (asked for: 202)
  const restoreOf = async (hosting: string) => (await m.api('POST', `/api/v1/hostings/${hosting}/snapshots/restores`, { snapshot: 'daily-2026-12-01', path: 'var/www/site' })).body as { id: string };
  const [restoreA, restoreB] = [await restoreOf(hostingA.id), await restoreOf(hostingB.id)];
  await m.manager.jobs.runDue();
  const delivery = (await m.api('GET', '/api/v1/work-deliveries')).body.items[0];
  assert.ok(delivery, 'the works were delivered to the channel (or wait for it)');
  // an outside target of the works page (staff only; its pushes fail: nothing listens on port 9)
  const targetA = await created(m, '/api/v1/work-targets', { name: 'mirror-a', host: '127.0.0.1', port: 9, username: 'abri', path: '/srv/works', hostKey: TEST_HOST_KEY });
  return { orderA, orderB, invoiceA, invoiceB, restoreA, restoreB, workA, workB, mailDomainA, mailDomainB, mailboxA, mailboxB, mailAliasA, mailAliasB, cronA, cronB, ftpA, ftpB, sftpA, sftpB, databaseA, databaseB, jobA, offer, offerTo, server, customerA, customerB, hostingA, hostingB, siteA, siteB, a, b, r, delegationA, delegationB, delegationR, invitationA, invitationB, tokenA, tokenB, zoneA, zoneB, recordA, recordB, claimA, claimB, noticeA, noticeB, outboxA, appPasswordA, appPasswordB, channel, delivery, targetA };
}
/** A well-formed SSH host key (no host presents it). */
export const TEST_HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKl6c1+7uT0VrhnN4hGEm0m2kFq7pE1lY0TnYt2bQ1Xo';
export type Seed = Awaited<ReturnType<typeof seed>>;

/** What b must never see: A's ids, names, e-mails, domains. */
export function secretsOfA(s: Seed): string[] {
  return [
    s.customerA.id, s.customerA.name, s.customerA.contactEmail, s.customerA.postalAddress,
    s.hostingA.id, s.hostingA.name, s.hostingA.home,
    s.siteA.id, s.siteA.domain, 'www.alpha-site.test',
    s.delegationA.id, s.delegationR.id, s.invitationA.id, 'x@elsewhere.test', s.invitationA.invitationUrl.split('#')[1],
    s.a.id, 'a@alpha-corp.test', s.r.id, 'r@alpha-corp.test',
    s.tokenA.id, s.tokenA.name, s.tokenA.prefix,
    s.zoneA.id, s.recordA.id, '192.0.2.99',
    s.claimA.id, s.claimA.txtValue, 'alpha-claim.test', s.noticeA.id, 'alpha-notice', 'alpha-lost.test',
    s.databaseA.id, s.databaseA.name, s.databaseA.user.id, s.databaseA.user.password,
    s.sftpA.id, s.sftpA.name, s.sftpA.newPassword, s.sftpA.keys[0].id,
    s.ftpA.id, s.ftpA.name, s.ftpA.newPassword, 'var/www/alpha',
    s.orderA.id, 'alpha-order.test', s.orderA.invoice.number,
    s.workA.id, 'alpha-work', s.invoiceA.id, s.invoiceA.number, s.invoiceA.paymentReference, 'alpha-cheque-777', s.restoreA.id,
    s.mailDomainA.id, s.mailboxA.id, s.mailboxA.address, s.mailboxA.newPassword, s.mailAliasA.id, s.mailAliasA.address, 'alpha-forward@elsewhere.test',
    s.appPasswordA.id, 'alpha-phone', s.appPasswordA.password,
  ];
}

export function assertNoLeak(s: Seed, a: Answer, what: string) {
  // a problem's `instance` is the request path b sent: an echo, not a leak
  const { instance: _echo, ...rest } = a.body && typeof a.body === 'object' ? a.body : { instance: undefined };
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body && typeof a.body === 'object' ? rest : a.body ?? '');
  for (const secret of secretsOfA(s)) {
    assert.ok(!text.toLowerCase().includes(String(secret).toLowerCase()), `${what} shows A's "${secret}" to b: ${text.slice(0, 500)}`);
  }
}

export function assertProblem(a: Answer, status: number, code: RegExp, what: string) {
  assert.equal(a.status, status, `${what}: expected ${status}, got ${a.status} ${JSON.stringify(a.body)}`);
  assert.match(a.headers.get('content-type') ?? '', /^application\/problem\+json/, `${what}: content-type`);
  assert.match(String(a.body?.code), code, `${what}: code ${JSON.stringify(a.body)}`);
}

/** A's references per kind (ids first, then the other references the stores accept), and B's id. */
export function references(s: Seed): Record<Kind, { a: string[]; b: string; ownedByA: boolean }> {
  return {
    customers: { a: [s.customerA.id, String(s.customerA.number)], b: s.customerB.id, ownedByA: true },
    hostings: { a: [s.hostingA.id, s.hostingA.name], b: s.hostingB.id, ownedByA: true },
    sites: { a: [s.siteA.id, s.siteA.domain, 'www.alpha-site.test'], b: s.siteB.id, ownedByA: true },
    delegations: { a: [s.delegationA.id, s.a.id], b: s.delegationB.id, ownedByA: true },
    invitations: { a: [s.invitationA.id], b: s.invitationB.id, ownedByA: true },
    users: { a: [s.a.id, 'a@alpha-corp.test'], b: s.b.id, ownedByA: true },
    tokens: { a: [s.tokenA.id], b: s.tokenB.id, ownedByA: true },
    offers: { a: [s.offer.id, s.offer.name], b: s.offer.id, ownedByA: false },
    servers: { a: [s.server.id, s.server.name], b: s.server.id, ownedByA: false },
    zones: { a: [s.zoneA.id, s.zoneA.name], b: s.zoneB.id, ownedByA: true },
    records: { a: [s.recordA.id], b: s.recordB.id, ownedByA: true },
    jobs: { a: [s.jobA.id], b: s.jobA.id, ownedByA: false },
    'zone-claims': { a: [s.claimA.id], b: s.claimB.id, ownedByA: true },
    notices: { a: [s.noticeA.id], b: s.noticeB.id, ownedByA: true },
    databases: { a: [s.databaseA.id, s.databaseA.name], b: s.databaseB.id, ownedByA: true },
    'database-users': { a: [s.databaseA.user.id, s.databaseA.user.name], b: s.databaseB.user.id, ownedByA: true },
    'sftp-users': { a: [s.sftpA.id, s.sftpA.name], b: s.sftpB.id, ownedByA: true },
    keys: { a: [s.sftpA.keys[0].id], b: s.sftpB.keys[0].id, ownedByA: true },
    'ftp-users': { a: [s.ftpA.id, s.ftpA.name], b: s.ftpB.id, ownedByA: true },
    'cron-tasks': { a: [s.cronA.id], b: s.cronB.id, ownedByA: true },
    'mail-domains': { a: [s.mailDomainA.id, s.mailDomainA.name], b: s.mailDomainB.id, ownedByA: true },
    mailboxes: { a: [s.mailboxA.id, s.mailboxA.address], b: s.mailboxB.id, ownedByA: true },
    'mail-aliases': { a: [s.mailAliasA.id, s.mailAliasA.address], b: s.mailAliasB.id, ownedByA: true },
    outbox: { a: [s.outboxA.id], b: s.outboxA.id, ownedByA: false },
    'app-passwords': { a: [s.appPasswordA.id], b: s.appPasswordB.id, ownedByA: true },
    works: { a: [s.workA.id, String(s.workA.number)], b: s.workB.id, ownedByA: true },
    invoices: { a: [s.invoiceA.id, s.invoiceA.number, s.invoiceA.paymentReference], b: s.invoiceB.id, ownedByA: true },
    restores: { a: [s.restoreA.id], b: s.restoreB.id, ownedByA: true },
    orders: { a: [s.orderA.id, String(s.orderA.number)], b: s.orderB.id, ownedByA: true },
    // a backup is a restic snapshot of the hosting's own repository, named by its id: none is made here (no agent)
    backups: { a: ['a1'.repeat(32), 'a1a1a1a1'], b: 'b2'.repeat(32), ownedByA: true },
    'work-channels': { a: [s.channel.id, s.channel.name], b: s.channel.id, ownedByA: false },
    'work-deliveries': { a: [s.delivery.id], b: s.delivery.id, ownedByA: false },
    'work-targets': { a: [s.targetA.id, s.targetA.name], b: s.targetA.id, ownedByA: false },
  };
}

/** Every assignment of path values with at least one of A's references (B's parent with A's child, too). */
export function pathVariants(op: Operation, s: Seed): Array<Record<string, string>> {
  const refs = references(s);
  let variants: Array<{ values: Record<string, string>; anyA: boolean }> = [{ values: {}, anyA: false }];
  const kinds = paramKinds(op);
  for (const { name, kind } of kinds) {
    const choices = [...refs[kind].a.map((v) => ({ v, isA: true })), ...(kinds.length > 1 ? [{ v: refs[kind].b, isA: false }] : [])];
    variants = variants.flatMap((x) => choices.map((c) => ({ values: { ...x.values, [name]: c.v }, anyA: x.anyA || c.isA })));
  }
  return variants.filter((x) => x.anyA || !kinds.length).map((x) => x.values);
}

export function queryOf(op: Operation, s: Seed): string {
  const q = new URLSearchParams();
  for (const p of op.queryParams) {
    if (p.name === 'customerId') q.set('customerId', s.customerA.id);
    else if (p.name === 'from' || p.name === 'to') q.set(p.name, p.name === 'from' ? '2000-01-01' : '2002-12-31'); // the accounting exports' range
    else if (p.name === 'offer') q.set('offer', s.offerTo.id); // the offer a hosting would move to
    else if (p.required) throw new Error(`${op.key}: required query parameter ${p.name} has no test value; add one in test/helpers/isolation.ts`);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** A's objects as the admin sees them, to prove nothing changed. */
export async function snapshotOfA(m: TestManager, s: Seed) {
  const get = async (path: string) => {
    const a = await m.api('GET', path);
    ok(a, 200, `admin GET ${path}`);
    return a.body;
  };
  const tokens = await m.manager.app.db
    .selectFrom('apiTokens').select(['id', 'name', 'userId', 'expiresAt', 'tokenHash'])
    .where('userId', 'in', [s.a.id, s.r.id]).orderBy('id').execute();
  const audit = await m.manager.app.db.selectFrom('auditLog').select(['id', 'action']).where('customerId', '=', s.customerA.id).orderBy('id').execute();
  return {
    customer: await get(`/api/v1/customers/${s.customerA.id}`),
    delegations: await get(`/api/v1/customers/${s.customerA.id}/delegations`),
    invitations: await get(`/api/v1/customers/${s.customerA.id}/invitations`),
    hosting: await get(`/api/v1/hostings/${s.hostingA.id}`),
    sites: await get(`/api/v1/hostings/${s.hostingA.id}/sites`),
    site: await get(`/api/v1/sites/${s.siteA.id}`),
    userA: await get(`/api/v1/users/${s.a.id}`),
    userR: await get(`/api/v1/users/${s.r.id}`),
    offer: await get(`/api/v1/offers/${s.offer.id}`),
    server: await get(`/api/v1/servers/${s.server.id}`),
    zone: await get(`/api/v1/zones/${s.zoneA.id}`),
    records: await get(`/api/v1/zones/${s.zoneA.id}/records`),
    certificate: await get(`/api/v1/sites/${s.siteA.id}/certificate`),
    claims: await get(`/api/v1/zone-claims?customerId=${s.customerA.id}`),
    notices: await get(`/api/v1/notices?customerId=${s.customerA.id}`),
    databases: await get(`/api/v1/hostings/${s.hostingA.id}/databases`),
    databaseUsers: await get(`/api/v1/hostings/${s.hostingA.id}/database-users`),
    databaseUsage: await get(`/api/v1/hostings/${s.hostingA.id}/database-usage`),
    authStrings: await m.manager.app.db.selectFrom('databaseUsers').select(['name', 'authString']).where('hostingId', '=', s.hostingA.id).execute(),
    sftpUsers: await get(`/api/v1/hostings/${s.hostingA.id}/sftp-users`),
    sftpHashes: await m.manager.app.db.selectFrom('sftpUsers').select(['name', 'passwordHash', 'folder', 'enabled']).where('hostingId', '=', s.hostingA.id).execute(),
    ftpUsers: await get(`/api/v1/hostings/${s.hostingA.id}/ftp-users`),
    ftpHashes: await m.manager.app.db.selectFrom('ftpUsers').select(['name', 'passwordHash', 'folder', 'enabled']).where('hostingId', '=', s.hostingA.id).execute(),
    cronTasks: await get(`/api/v1/hostings/${s.hostingA.id}/cron-tasks`),
    restores: await get(`/api/v1/hostings/${s.hostingA.id}/snapshots/restores`),
    work: await get(`/api/v1/works/${s.workA.id}`),
    invoices: await get(`/api/v1/invoices?customerId=${s.customerA.id}`),
    dunning: await get(`/api/v1/invoices/${s.invoiceA.id}/dunning`),
    dunnings: await get(`/api/v1/dunning?customerId=${s.customerA.id}`),
    payments: await get(`/api/v1/invoices/${s.invoiceA.id}/payments`),
    orders: await get(`/api/v1/orders?customerId=${s.customerA.id}`),
    service: await get(`/api/v1/hostings/${s.hostingA.id}/service`),
    mailDomains: await get(`/api/v1/hostings/${s.hostingA.id}/mail-domains`),
    mailboxes: await get(`/api/v1/mail-domains/${s.mailDomainA.id}/mailboxes`),
    mailAliases: await get(`/api/v1/mail-domains/${s.mailDomainA.id}/aliases`),
    mailboxHashes: await m.manager.app.db.selectFrom('mailboxes').select(['localPart', 'passwordHash', 'quotaMb', 'enabled']).where('hostingId', '=', s.hostingA.id).execute(),
    tokens: JSON.parse(JSON.stringify(tokens)),
    audit,
  };
}

export const bodyContext = (s: Seed, loginEmail: string) => ({
  customerId: s.customerA.id,
  offerId: s.offer.id,
  hostingId: s.hostingA.id,
  loginEmail,
  loginPassword: 'correct horse battery',
  unique: counter('iso'),
});
