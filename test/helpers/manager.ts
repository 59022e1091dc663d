// Starts a real manager (HTTP on a free loopback port) on a fresh database, with an admin token,
// and gives tests a small HTTP client that returns status, headers and parsed body.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfig, type RawSettings } from '../../src/platform/config.js';
import { startManager, type Manager } from '../../src/manager.js';
import { createUser } from '../../src/accounts/store-users.js';
import { createApiToken } from '../../src/accounts/store-auth.js';
import { hashPassword } from '../../src/platform/secrets.js';
import { pglite, type TestDatabase } from './databases.js';
import { Contract } from './contract.js';
import { pooledRsaKeyPair } from './rsa-keys.js';
import type { Clock } from '../../src/platform/clock.js';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestManager {
  manager: Manager;
  url: string;
  adminToken: string;
  /** calls the API; token = null for anonymous, default the admin token */
  api<T = any>(method: string, path: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string>; raw?: string; unchecked?: boolean }): Promise<Answer<T>>;
  /** creates a user with a token; returns both */
  user(email: string, role?: 'admin' | 'staff' | 'customer'): Promise<{ id: string; token: string }>;
  /**
   * Gives `email` access to a customer the way people get it: the staff invite, the recipient
   * accepts the link (logged in as themselves when the account exists, else choosing a password).
   * Answers 201 with the delegation, or the failing answer.
   */
  join(customerId: string, email: string, role?: 'owner' | 'manager' | 'readonly'): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * The argon2 hash of the password of the users tests make (`user()`), made once per process: hashing
 * costs 40 ms of CPU, and every manager makes its admin (hundreds in a run) and many tests make users.
 */
let testPasswordHash: Promise<string> | null = null;

export async function startTestManager(opts: { database?: TestDatabase; settings?: RawSettings; clock?: Clock } = {}): Promise<TestManager> {
  const database = await (opts.database ?? pglite).open();
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent/abri.conf', ABRI_LISTEN: '127.0.0.1:0', ABRI_DATA_DIR: '/nonexistent/abri-data', ABRI_LOG_LEVEL: 'silent', ABRI_LOCAL_AGENT: '0',
    ABRI_ACME_DIRECTORY: '', ABRI_SMTP_URL: 'smtp://127.0.0.1:1', ABRI_SECRET_KEY: randomBytes(32).toString('hex'), ...opts.settings });
  const manager = await startManager({ config, log: pino({ level: process.env.ABRI_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2)), database, port: 0, announce: () => {}, clock: opts.clock, rsaKeyPair: pooledRsaKeyPair });
  const tokens = new Map<string, string>();
  const user = async (email: string, role: 'admin' | 'staff' | 'customer' = 'customer') => {
    const u = await createUser(manager.app.db, { email, role, locale: 'en' });
    const passwordHash = await (testPasswordHash ??= hashPassword('correct horse battery'));
    await manager.app.db.updateTable('users').set({ passwordHash }).where('id', '=', u.id).execute();
    const { secret } = await createApiToken(manager.app.db, u.id, 'test', null);
    tokens.set(email.toLowerCase(), secret);
    return { id: u.id, token: secret };
  };
  const admin = await user('admin@abri.test', 'admin');
  manager.app.setupToken = null;
  const url = manager.url;
  const contract = await Contract.load(url);
  const t: TestManager = {
    manager,
    url,
    adminToken: admin.token,
    user,
    async api(method, path, body, o = {}) {
      const token = o.token === undefined ? admin.token : o.token;
      const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...o.headers };
      let payload: string | undefined = o.raw;
      if (body !== undefined) {
        headers['content-type'] ??= 'application/json';
        payload = JSON.stringify(body);
      } else if (payload !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(url + path, { method, headers, body: payload });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      // every answer must be one the OpenAPI document declares (status, schema, error code)
      if (!o.unchecked) {
        try {
          contract.check(method, path, res.status, res.headers.get('content-type'), parsed);
        } catch (e) {
          // ABRI_CONTRACT_LOG=file: collect every violation of a run instead of failing at the first
          if (!process.env.ABRI_CONTRACT_LOG) throw e;
          appendFileSync(process.env.ABRI_CONTRACT_LOG, `${(e as Error).message}\n`);
        }
      }
      return { status: res.status, headers: res.headers, body: parsed as any };
    },
    async join(customerId, email, role = 'manager') {
      const invited = await t.api('POST', `/api/v1/customers/${customerId}/invitations`, { email, role });
      if (invited.status !== 201) return invited;
      const token = new URL(invited.body.invitationUrl).hash.slice(1);
      const bearer = tokens.get(email.toLowerCase());
      const accepted = await t.api('POST', '/api/v1/auth/accept-invitation', bearer ? { token } : { token, password: 'correct horse battery' }, { token: bearer ?? null });
      if (accepted.status !== 200) return accepted;
      const list = await t.api('GET', `/api/v1/customers/${customerId}/delegations`);
      const delegation = list.body.items.find((d: { email: string }) => d.email === email.toLowerCase());
      return { status: 201, headers: accepted.headers, body: delegation };
    },
    async close() {
      await manager.close();
      await database.close();
    },
  };
  return t;
}

/** A standard offer body for tests. */
export const offerBody = (over: Record<string, unknown> = {}) => ({
  name: 'Starter',
  priceCents: 500,
  billingCycle: 'monthly',
  diskMb: 1000,
  maxSites: 3,
  maxMailboxes: 5,
  mailMb: 1000,
  maxDatabases: 2,
  databaseMb: 200,
  maxFtpUsers: 1,
  sshAllowed: false,
  tlsAllowed: true,
  phpVersions: ['8.2'],
  ...over,
});

/** Creates customer + offer + hosting through the API; returns their bodies. */
export async function seedHosting(t: TestManager, opts: { customer?: string; offer?: Record<string, unknown> } = {}) {
  const customer = (await t.api('POST', '/api/v1/customers', { name: opts.customer ?? 'Asso', contactEmail: 'contact@asso.test' })).body;
  const offerName = `Offer ${Math.random().toString(36).slice(2, 8)}`;
  const offer = (await t.api('POST', '/api/v1/offers', offerBody({ name: offerName, ...opts.offer }))).body;
  const hosting = (await t.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id })).body;
  return { customer, offer, hosting };
}

/**
 * Two customers as the tenant tests play them: Alpha's hosting with its owner and a readonly member,
 * Bravo's with its owner (the other customer); `asA` / `asB` call the API as the two owners.
 */
export async function alphaAndBravo(t: TestManager, offers: { a?: Record<string, unknown>; b?: Record<string, unknown> } = {}) {
  const a = await seedHosting(t, { customer: 'Alpha', ...(offers.a ? { offer: offers.a } : {}) });
  const b = await seedHosting(t, { customer: 'Bravo', ...(offers.b ? { offer: offers.b } : {}) });
  const member = async (customerId: string, email: string, role: 'owner' | 'readonly') => {
    const user = await t.user(email);
    assert.equal((await t.join(customerId, email, role)).status, 201);
    return user;
  };
  const owner = await member(a.customer.id, 'owner@alpha.test', 'owner');
  const reader = await member(a.customer.id, 'reader@alpha.test', 'readonly');
  const other = await member(b.customer.id, 'owner@bravo.test', 'owner');
  const asA = (method: string, path: string, body?: unknown) => t.api(method, path, body, { token: owner.token });
  const asB = (method: string, path: string, body?: unknown) => t.api(method, path, body, { token: other.token });
  return { a, b, owner, reader, other, asA, asB };
}
