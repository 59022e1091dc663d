// Outside targets of the public works page (staff only): rsync over SSH to a host of yours. Abri
// makes a key pair per target (the private key sealed at rest, the public one shown to put in the
// target's authorized_keys) and pins the target's host key. Each target has a push job of its own:
// one that fails (retried with backoff, its last error shown) never holds up the others.
import { generateKeyPairSync } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { cancelJob, enqueueJob } from '../jobs/enqueue.js';
import { checkTarget } from './rules-publish.js';
import { deleteTarget, findTarget, insertTarget, listTargets, storedDigest, targetNameTaken, type TargetRow } from './store-publish.js';
import type { WorkTargetInput, WorkTargetView } from './model-publish.js';

export const WORKS_PUSH_JOB = 'works.push';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function targetView(t: TargetRow, digest: string | null): WorkTargetView {
  const state = t.lastError ? 'failing' : digest !== null && t.pushedDigest === digest ? 'published' : 'pending';
  return {
    id: t.id, name: t.name, host: t.host, port: t.port, username: t.username, path: t.path, hostKey: t.hostKey, publicKey: t.publicKey, state,
    pushedAt: iso(t.pushedAt), lastAttemptAt: iso(t.lastAttemptAt), lastError: t.lastError, failures: t.failures, createdAt: t.createdAt.toISOString(),
  };
}

/** An ECDSA P-256 key pair: the private key in PEM (OpenSSH reads it), the public key as an authorized_keys line. */
function newKeyPair(name: string): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const str = (b: Buffer | string) => {
    const buf = Buffer.from(b);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    return Buffer.concat([len, buf]);
  };
  const blob = Buffer.concat([str('ecdsa-sha2-nistp256'), str('nistp256'), str(point)]).toString('base64');
  return { privateKey: privateKey.export({ format: 'pem', type: 'sec1' }).toString(), publicKey: `ecdsa-sha2-nistp256 ${blob} abri-works-${name}` };
}

export async function listWorkTargets(app: AppContext, caller: Caller): Promise<WorkTargetView[]> {
  assertStaff(caller.actor);
  const [targets, digest] = await Promise.all([listTargets(app.db), storedDigest(app.db)]);
  return targets.map((t) => targetView(t, digest));
}

export async function showWorkTarget(app: AppContext, caller: Caller, ref: string): Promise<WorkTargetView> {
  assertStaff(caller.actor);
  return targetView(await findTarget(app.db, ref), await storedDigest(app.db));
}

export function createWorkTarget(app: AppContext, caller: Caller, input: WorkTargetInput) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const fields = checkTarget(input);
    if (await targetNameTaken(c.db, input.name)) throw new AppError('work_target.name_taken', `a target named ${input.name} exists`, { params: { name: input.name } });
    const keys = newKeyPair(input.name);
    const t = await insertTarget(c.db, { ...fields, name: input.name, publicKey: keys.publicKey, privateKeySealed: c.app.secrets().seal(keys.privateKey) }, c.now);
    await c.audit({ action: 'work_target.create', targetType: 'work_target', targetId: t.id, target: t.name, after: { ...fields } });
    // the first push is tried at once: it fails until the public key is on the target, and is retried
    await enqueueJob(c.db, { kind: WORKS_PUSH_JOB, key: t.id, runAt: c.now }, c.now, c.afterCommit);
    return targetView(t, await storedDigest(c.db));
  });
}

/** Pushes the page to the target now (after fixing it on its side), whatever its retry delay. */
export function pushWorkTarget(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const t = await findTarget(c.db, ref, { lock: true });
    await c.audit({ action: 'work_target.push', targetType: 'work_target', targetId: t.id, target: t.name });
    await enqueueJob(c.db, { kind: WORKS_PUSH_JOB, key: t.id, runAt: c.now }, c.now, c.afterCommit);
    return targetView(t, await storedDigest(c.db));
  });
}

export function removeWorkTarget(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const t = await findTarget(c.db, ref, { lock: true });
    await deleteTarget(c.db, t.id);
    await cancelJob(c.db, WORKS_PUSH_JOB, t.id, c.now);
    await c.audit({ action: 'work_target.delete', targetType: 'work_target', targetId: t.id, target: t.name, before: { host: t.host, path: t.path } });
  });
}
