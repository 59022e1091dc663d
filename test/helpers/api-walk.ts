// Walks the OpenAPI document the manager serves: every operation with its access, tenant flag, path
// parameters and request body schema, plus one plausible valid body per operation that takes one.
// Tests iterate the document (never a hard-coded route list), so a new route is covered, or fails
// loudly here until it gets an example body and its path parameters a kind.
import { offerBody, type TestManager } from './manager.js';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  additionalProperties?: boolean;
};

export interface Operation {
  method: string;
  path: string;
  access: 'public' | 'user' | 'staff' | 'admin';
  tenant: boolean;
  /** POST, PUT, PATCH, DELETE: what the read-only mode does to customers' calls (refused, open) or staff-only */
  readOnly?: 'refused' | 'open' | 'staff';
  pathParams: string[];
  queryParams: Array<{ name: string; required: boolean; schema: JsonSchema }>;
  body?: JsonSchema;
  /** "METHOD /api/v1/path" */
  key: string;
}

/** Every operation of the served OpenAPI document. */
export async function operations(m: TestManager): Promise<Operation[]> {
  const res = await m.api('GET', '/api/v1/openapi.json', undefined, { token: null });
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(res.body.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []) as Array<{ name: string; in: string; required: boolean; schema: JsonSchema }>;
      const access = op['x-abri-access'];
      if (!['public', 'user', 'staff', 'admin'].includes(access)) throw new Error(`${method} ${path} has no valid x-abri-access (${access})`);
      ops.push({
        method: method.toUpperCase(),
        path,
        access,
        tenant: op['x-abri-tenant'] === true,
        readOnly: op['x-abri-read-only'],
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map(({ name, required, schema }) => ({ name, required, schema })),
        body: op.requestBody?.content?.['application/json']?.schema,
        key: `${method.toUpperCase()} ${path}`,
      });
    }
  }
  if (ops.length < 10) throw new Error(`the OpenAPI document lists only ${ops.length} operations`);
  return ops;
}

/**
 * The kind of object a path parameter names, from the path segment before it:
 * /customers/{id}/delegations/{delegationId} → customers, delegations. Unknown kinds throw.
 */
export const knownKinds = [
  'customers', 'delegations', 'invitations', 'hostings', 'sites', 'offers', 'servers', 'users', 'tokens', 'zones', 'records', 'jobs', 'zone-claims', 'notices',
  'databases', 'database-users', 'sftp-users', 'keys', 'ftp-users', 'cron-tasks', 'mail-domains', 'mailboxes', 'mail-aliases',
  'outbox', 'app-passwords', 'works', 'invoices', 'restores', 'work-channels', 'work-deliveries', 'work-targets', 'backups', 'orders',
] as const;
export type Kind = (typeof knownKinds)[number];

export function paramKinds(op: Operation): Array<{ name: string; kind: Kind }> {
  const segments = op.path.split('/');
  return op.pathParams.map((name) => {
    const i = segments.indexOf(`{${name}}`);
    const kind = segments[i - 1] as Kind;
    if (i < 1 || !knownKinds.includes(kind)) {
      throw new Error(`${op.key}: path parameter {${name}} names an unknown kind of object ("${segments[i - 1]}"); teach test/helpers/api-walk.ts about it`);
    }
    return { name, kind };
  });
}

export const fillPath = (path: string, values: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (values[name] === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(values[name]);
  });

export interface ExampleContext {
  /** ids (or other references) the bodies point at */
  customerId: string;
  offerId: string;
  /** a hosting of that customer, when there is one */
  hostingId?: string;
  /** an email that can log in, with its password */
  loginEmail: string;
  loginPassword: string;
  /** an invitation secret, when the caller has one */
  invitationToken?: string;
  /** an existing customer account that staff may attach to customerId */
  memberEmail?: string;
  /** a fresh suffix for names that must be unique */
  unique(): string;
}

/** One plausible, valid body per operation that takes a body ("METHOD path" → body). */
export const exampleBodies: Record<string, (c: ExampleContext) => Record<string, unknown>> = {
  'POST /api/v1/auth/login': (c) => ({ email: c.loginEmail, password: c.loginPassword }),
  'POST /api/v1/setup': (c) => ({ token: 'S'.repeat(32), email: `setup-${c.unique()}@example.org`, password: 'a long enough password', locale: 'en' }),
  'POST /api/v1/auth/token': (c) => ({ email: c.loginEmail, password: c.loginPassword, name: `cli ${c.unique()}` }),
  'POST /api/v1/auth/invitation': (c) => ({ token: c.invitationToken ?? 'I'.repeat(43) }),
  'POST /api/v1/auth/accept-invitation': (c) => ({ token: c.invitationToken ?? 'I'.repeat(43), password: 'a long enough password', locale: 'en' }),
  'POST /api/v1/auth/password-reset': (c) => ({ email: `nobody-${c.unique()}@example.org` }),
  'POST /api/v1/auth/password-reset/confirm': () => ({ token: 'R'.repeat(43), password: 'a long enough password' }),
  'POST /api/v1/mailboxes/{id}/app-passwords': (c) => ({ name: `Phone ${c.unique()}` }),
  'PATCH /api/v1/me': () => ({ locale: 'en' }),
  'DELETE /api/v1/me/totp': () => ({ code: '123456' }),
  'POST /api/v1/me/totp/confirm': () => ({ code: '123456' }),
  'POST /api/v1/users': (c) => ({ email: `user-${c.unique()}@example.org`, role: 'customer', locale: 'en' }),
  'PATCH /api/v1/users/{id}': () => ({ locale: 'en' }),
  'POST /api/v1/tokens': (c) => ({ name: `token ${c.unique()}` }),
  'POST /api/v1/customers': (c) => ({ name: `Customer ${c.unique()}`, contactEmail: 'contact@example.org', postalAddress: '1 rue de la Paix\n75002 Paris' }),
  'PATCH /api/v1/customers/{id}': (c) => ({ name: `Renamed ${c.unique()}` }),
  'POST /api/v1/customers/{id}/invitations': (c) => ({ email: `invited-${c.unique()}@example.org`, role: 'manager' }),
  'PATCH /api/v1/customers/{id}/delegations/{delegationId}': () => ({ role: 'manager' }),
  'POST /api/v1/offers': (c) => offerBody({ name: `Offer ${c.unique()}` }),
  'PATCH /api/v1/offers/{id}': () => ({ priceCents: 900 }),
  'POST /api/v1/hostings': (c) => ({ customerId: c.customerId, offerId: c.offerId }),
  'PATCH /api/v1/hostings/{id}': () => ({ phpVersion: '8.2' }),
  'POST /api/v1/hostings/{id}/purge': () => ({ force: true }),
  'POST /api/v1/hostings/{id}/suspend': () => ({ reason: 'unpaid invoice' }),
  'POST /api/v1/hostings/{id}/snapshots/restores': () => ({ snapshot: 'daily-2026-12-01', path: 'var/www/site' }),
  'POST /api/v1/hostings/{id}/backups/{snapshot}/restore': () => ({ part: 'files', path: 'var/www/site', mode: 'copy' }),
  'POST /api/v1/hostings/{id}/sites': (c) => ({ domain: `site-${c.unique()}.example.org` }),
  'PATCH /api/v1/sites/{id}': (c) => ({ aliases: [`www-${c.unique()}.example.org`] }),
  'PATCH /api/v1/sites/{id}/php': () => ({ memoryLimit: '128M', displayErrors: true }),
  'POST /api/v1/servers': (c) => ({ name: `server-${c.unique()}`, roles: ['web'], addresses: ['192.0.2.10'] }),
  'PATCH /api/v1/servers/{id}': () => ({ roles: ['web', 'dns'] }),
  'POST /api/v1/zones': (c) => ({ name: `zone-${c.unique()}.org`, customerId: c.customerId }),
  'PATCH /api/v1/zones/{id}': () => ({ edgeRecords: false }),
  'POST /api/v1/zones/{id}/records': (c) => ({ name: `r-${c.unique()}`, type: 'A', content: '192.0.2.7' }),
  'PATCH /api/v1/zones/{id}/records/{recordId}': () => ({ ttl: 600 }),
  'POST /api/v1/zone-claims': (c) => ({ name: `claim-${c.unique()}.org`, customerId: c.customerId }),
  'POST /api/v1/hostings/{id}/databases': (c) => ({ name: `db_${c.unique()}` }),
  'POST /api/v1/hostings/{id}/database-users': (c) => ({ name: `u_${c.unique()}` }),
  'PATCH /api/v1/database-users/{id}': () => ({ databases: [] }),
  'POST /api/v1/dbadmin/exchange': () => ({ ticket: 'not-a-ticket' }),
  'POST /api/v1/hostings/{id}/sftp-users': (c) => ({ name: `u${c.unique().replace(/[^a-z0-9]/g, '')}`.slice(0, 20) }),
  'PATCH /api/v1/sftp-users/{id}': () => ({ enabled: true }),
  'POST /api/v1/hostings/{id}/ftp-users': (c) => ({ name: `f${c.unique().replace(/[^a-z0-9]/g, '')}`.slice(0, 20) }),
  'PATCH /api/v1/ftp-users/{id}': () => ({ enabled: true }),
  'POST /api/v1/hostings/{id}/cron-tasks': () => ({ command: 'php var/www/cron.php', schedule: '*/15 * * * *', timeLimit: 60 }),
  'PATCH /api/v1/cron-tasks/{id}': () => ({ enabled: true }),
  'POST /api/v1/hostings/{id}/mail-domains': (c) => ({ name: `mail-${c.unique()}.example.org` }),
  'POST /api/v1/mail-domains/{id}/mailboxes': (c) => ({ localPart: `box${c.unique().replace(/[^a-z0-9]/g, '')}`.slice(0, 40), quotaMb: 10 }),
  'PATCH /api/v1/mailboxes/{id}': () => ({ enabled: true }),
  'POST /api/v1/mailboxes/{id}/password': () => ({}),
  'PUT /api/v1/mailboxes/{id}/vacation': () => ({ enabled: true, subject: 'Away', message: 'Back on Monday.', startsOn: '2026-12-20', endsOn: '2027-01-04' }),
  'POST /api/v1/mail-domains/{id}/aliases': (c) => ({ localPart: `alias${c.unique().replace(/[^a-z0-9]/g, '')}`.slice(0, 40), destinations: ['someone@example.org'] }),
  'POST /api/v1/sftp-users/{id}/keys': () => ({ key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPHvjuK4ICGF6dRH9jj/cODOFC8ctBI6RhG9opT1TB86 fuzz' }),
  'POST /api/v1/works': (c) => ({ kind: 'maintenance', title: { fr: `Travaux ${c.unique()}`, en: `Works ${c.unique()}` }, affects: { platform: true }, plannedStart: '2030-01-01T02:00:00Z', plannedMinutes: 30 }),
  'PATCH /api/v1/works/{id}': () => ({ plannedMinutes: 45, note: { fr: 'Plus long.', en: 'Longer.' } }),
  'POST /api/v1/works/{id}/updates': () => ({ text: { fr: 'Point.', en: 'Update.' } }),
  // staff keep changing while read-only: the walks leave the platform writable
  'PUT /api/v1/platform/read-only': () => ({ enabled: false }),
  'POST /api/v1/invoices': (c) => ({ hostingId: c.hostingId ?? 'h100000', kind: 'proforma' }),
  'POST /api/v1/invoices/{id}/credit': () => ({ reason: 'Wrong price' }),
  // payments
  'POST /api/v1/invoices/{id}/payments': () => ({ amountCents: 100, method: 'cheque', reference: 'walk' }),
  'POST /api/v1/invoices/{id}/refunds': () => ({ amountCents: 100, method: 'transfer', reference: 'walk' }),
  'POST /api/v1/invoices/{id}/card-refund': () => ({}),
  'POST /api/v1/payments/stripe/webhook': () => ({ id: 'evt_walk', type: 'customer.created' }),
  'PATCH /api/v1/hostings/{id}/service': () => ({ dueDate: '2030-01-01' }),
  'POST /api/v1/hostings/{id}/offer-change': (c) => ({ offer: c.offerId }),
  'POST /api/v1/hostings/{id}/service/end': () => ({ mode: 'term', reason: 'moving elsewhere' }),
  'PATCH /api/v1/billing/seller': () => ({ paymentTerms: 'Payment on receipt.' }),
  'POST /api/v1/orders': (c) => ({ offerId: c.offerId, customerId: c.customerId }),
  'PUT /api/v1/provisioning/hostings/{ref}': (c) => ({ customer: { ref: `client-${c.unique()}`, name: `Client ${c.unique()}`, contactEmail: `client-${c.unique()}@example.org` }, offer: c.offerId }),
  'POST /api/v1/provisioning/hostings/{ref}/suspend': () => ({ reason: 'unpaid in the billing tool' }),
  'PUT /api/v1/provisioning/hostings/{ref}/offer': (c) => ({ offer: c.offerId }),
  'POST /api/v1/orders/signup': (c) => ({ offerId: c.offerId, email: `signup-${c.unique()}@example.org`, password: 'a long enough password', name: `New ${c.unique()}`, postalAddress: '1 rue de la Paix\n75002 Paris', locale: 'en' }),
  'PATCH /api/v1/billing/dunning': () => ({ reminderDays: [7, 15] }),
  'PUT /api/v1/invoices/{id}/dunning/pause': () => ({ note: 'payment plan' }),
  'PUT /api/v1/customers/{id}/dunning-pause': () => ({ note: 'dispute' }),
  'PUT /api/v1/me/work-notices': () => ({ receive: 'incidents' }),
  'POST /api/v1/work-channels': (c) => ({ kind: 'webhook', name: `hook-${c.unique()}`, url: 'http://127.0.0.1:9/hook', secret: 'example-secret-0123456789' }),
  'PATCH /api/v1/work-channels/{id}': () => ({ enabled: false }),
  'POST /api/v1/work-targets': (c) => ({ name: `mirror-${c.unique()}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 60), host: '127.0.0.1', port: 9, username: 'abri', path: '/srv/works',
    hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKl6c1+7uT0VrhnN4hGEm0m2kFq7pE1lY0TnYt2bQ1Xo' }),
  'POST /api/v1/sites/{id}/certificate': () => ({ certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', privateKey: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n' }),
};

/** The example body of an operation that takes one; throws when the operation has none. */
export function exampleBody(op: Operation, c: ExampleContext): Record<string, unknown> | undefined {
  if (!op.body) return undefined;
  const make = exampleBodies[op.key];
  if (!make) throw new Error(`${op.key} takes a body but test/helpers/api-walk.ts has no example for it; add one`);
  return make(c);
}

export const counter = (prefix: string) => {
  let n = 0;
  return () => `${prefix}${++n}`;
};
