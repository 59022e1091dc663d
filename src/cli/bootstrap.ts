// Commands that work on the database directly, so they work before the first `abri serve`. They call
// the same operations as the API, as the platform itself (the local CLI is trusted like staff).
import { pino } from 'pino';
import type { Config } from '../platform/config.js';
import type { AppContext } from '../platform/context.js';
import { openDatabase } from '../platform/db/database.js';
import { systemClock } from '../platform/clock.js';
import { systemCaller } from '../platform/actor.js';
import { SecretBox } from '../platform/secret-box.js';
import { version } from '../platform/version.js';
import { AppError } from '../platform/errors.js';
import './errors.js';
import { email as emailSchema, password as passwordSchema } from '../platform/validation.js';
import { createUserAccount, issueTokenFor } from '../accounts/operations-users.js';

async function withApp<T>(config: Config, command: string, fn: (app: AppContext) => Promise<T>): Promise<T> {
  // a few queries, then the process ends: PostgreSQL in WebAssembly zeroes its whole buffer cache at
  // start, and the data directory's 128 MB (for `abri serve`) cost a command 0.45 s of CPU and 120 MB
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, command, sharedBuffers: '16MB' });
  let box: SecretBox | null = null;
  const app: AppContext = {
    db: handle.db, config, log: pino({ level: 'silent' }), clock: systemClock, version, setupToken: null,
    secrets: () => (box ??= SecretBox.load(config.secretKey, config.dataDir)),
  };
  try {
    return await fn(app);
  } finally {
    await handle.close();
  }
}

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('validation.invalid', `${what} ${r.error.issues[0].message}`);
  return r.data;
}

const cli = systemCaller('cli', 'console');

export async function createAdmin(config: Config, email: string, password: string) {
  const e = check(emailSchema, email, '--email');
  const p = check(passwordSchema, password, 'the password');
  return withApp(config, 'admin create', (app) => createUserAccount(app, cli, { email: e, password: p, role: 'admin', locale: 'fr' }));
}

export async function createToken(config: Config, email: string, name: string, expiresAt: string | null) {
  return withApp(config, 'token create', async (app) => {
    const t = await issueTokenFor(app, cli, email, name, expiresAt);
    return { token: t.token, id: t.id, user: email };
  });
}
