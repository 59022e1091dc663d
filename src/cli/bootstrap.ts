// Commands that talk to the database directly, so they work before the first `abri serve`.
import type { Config } from '../platform/config.js';
import { openDatabase } from '../platform/db/database.js';
import { createUser, findUserByEmail } from '../accounts/store-users.js';
import { createApiToken } from '../accounts/store-auth.js';
import { recordAudit } from '../platform/store-audit.js';
import { AppError } from '../platform/errors.js';
import { email as emailSchema, password as passwordSchema } from '../platform/validation.js';

async function withDatabase<T>(config: Config, command: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, command });
  try {
    return await handle.db.transaction().execute(fn);
  } finally {
    await handle.close();
  }
}

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('validation.invalid', `${what} ${r.error.issues[0].message}`);
  return r.data;
}

export async function createAdmin(config: Config, email: string, password: string) {
  const e = check(emailSchema, email, '--email');
  const p = check(passwordSchema, password, 'the password');
  return withDatabase(config, 'admin create', async (db) => {
    const user = await createUser(db, { email: e, password: p, role: 'admin', locale: 'fr' });
    await recordAudit(db, { actor: null, address: null, label: 'cli' }, { action: 'user.create', targetType: 'user', targetId: user.id, target: user.email, after: { role: 'admin' } });
    return user;
  });
}

export async function createToken(config: Config, email: string, name: string, expiresAt: string | null) {
  return withDatabase(config, 'token create', async (db) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new AppError('user.not_found', `no user with email ${email}; create it first (abri admin create)`);
    if (user.disabled) throw new AppError('user.disabled', `${email} is disabled`);
    const { row, secret } = await createApiToken(db, user.id, name, expiresAt);
    await recordAudit(db, { actor: null, address: null, label: 'cli' }, { action: 'token.create', targetType: 'token', targetId: row.id, target: name, after: { user: user.email } });
    return { token: secret, id: row.id, user: user.email };
  });
}
