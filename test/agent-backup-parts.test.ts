// Integration (root; a real MariaDB, Abri's Postfix and Dovecot, OpenSSH's sshd, restic): the
// databases and mailboxes of a hosting in its off-server backups. The server holding them (not the
// web server) dumps each database (mariadb-dump --single-transaction piped into restic --stdin) and
// copies each mailbox (doveadm backup) into the hosting's repository; the list shows per day which
// parts a backup holds; a row and a mail deleted come back from a restore into a new database / mail
// folder and in place (after a safety copy); a dump made while transactions go on holds each entirely
// or not at all; another customer neither lists nor restores them (404); the data server is given
// the secrets of the hostings it holds a part of, and of no other.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-backup-parts.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Connection } from 'mariadb';
import { until } from './helpers/node.js';
import { run } from './harness/run.js';
import { missingMariadb } from './harness/mariadb.js';
import { missingMailTools, smtp } from './helpers/mail-agent.js';
import { BackupPartsWorld, SMTP_PORT } from './helpers/backup-parts-world.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';
import { LocalManagerLink } from '../src/agent/client.js';

const missing = [...missingMariadb(), ...missingMailTools(), ...['/usr/bin/restic', '/usr/sbin/sshd', '/usr/bin/doveadm', '/usr/bin/mariadb-dump'].filter((f) => !existsSync(f))];
if (missing.length && process.env.CI === 'true') test('MariaDB, Dovecot, restic and OpenSSH are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-backup-parts.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

interface Part { id: string; shortId: string; time: string; part: string; safety: boolean; sizeBytes: number | null }

describe('databases and mailboxes in the off-server backups, backed up and restored by the server holding them', { skip: missing.length > 0 }, () => {
  const w = new BackupPartsWorld();
  const open: Connection[] = [];
  let db: { id: string; name: string; user: { name: string; password: string } };
  let box: { id: string; address: string };
  const a = () => w.seeded.a.hosting;
  const asA = (method: string, p: string, body?: unknown) => w.seeded.asA(method, p, body);
  /** a session of the hosting's user (on a database just made, once its server has granted it) */
  const conn = async (database: string) => {
    let c: Connection | null = null;
    await until(`${db.user.name} on ${database}`, async () => {
      c = await w.maria.connectAs(db.user.name, db.user.password, database).catch((e: Error) => {
        if (!/denied|Unknown database/i.test(e.message)) throw e;
        return null;
      });
      return c !== null;
    });
    open.push(c!);
    return c!;
  };
  const doveadm = (...args: string[]) => run('doveadm', ['-c', `${mailPaths(w.rootOf('data')).dovecotDir}/dovecot.conf`, ...args], { allowFailure: true });
  /** the subjects of the mails of a folder of the mailbox */
  const subjects = async (folder: string) => {
    const r = await doveadm('-f', 'pager', 'fetch', '-u', box.address, 'hdr', 'mailbox', folder);
    assert.equal(r.code, 0, r.stderr);
    return [...r.stdout.matchAll(/^Subject: (.+)$/gm)].map((m) => m[1]!.trim()).sort();
  };
  const listing = async () => {
    const r = await asA('GET', `/api/v1/hostings/${a().id}/backups`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { snapshots: Part[]; days: Array<{ day: string; parts: Part[] }> };
  };
  /** Asks for a backup now and makes it on both servers (the clock at `iso`). */
  const backUpAt = async (iso: string) => {
    const before = w.data.states.at(-1)?.backups?.hostings.find((h) => h.hosting === a().id)?.requests ?? 0;
    assert.equal((await asA('POST', `/api/v1/hostings/${a().id}/backups`)).status, 202);
    w.clock.set(iso);
    for (const d of [w.web, w.data]) {
      await until('the server has the request', async () => d.states.at(-1)?.backups?.hostings.find((h) => h.hosting === a().id)?.requests === before + 1);
      await d.runDue();
    }
  };
  const restore = async (snapshot: string, body: unknown) => {
    const r = await asA('POST', `/api/v1/hostings/${a().id}/backups/${snapshot}/restore`, body);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.status, 'requested');
    await until(`restore ${r.body.id} finished`, async () => {
      await w.data.runDue();
      const item = (await asA('GET', `/api/v1/hostings/${a().id}/backups/restores`)).body.items.find((x: { id: string }) => x.id === r.body.id);
      return item.status === 'done' || item.status === 'failed';
    });
    const item = (await asA('GET', `/api/v1/hostings/${a().id}/backups/restores`)).body.items.find((x: { id: string }) => x.id === r.body.id);
    assert.equal(item.status, 'done', JSON.stringify(item));
    return item as { target: string; safetySnapshot: string | null };
  };

  before(async () => {
    await w.start();
    const live = (p: string) => until(`${p} live`, async () => {
      const s = (await w.m.api('GET', p)).body.provisioning;
      if (s.status === 'error') throw new Error(`${s.code}: ${s.message}`);
      return s.status === 'live';
    });
    const made = await asA('POST', `/api/v1/hostings/${a().id}/databases`, { name: 'shop', user: true });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    db = made.body;
    await live(`/api/v1/databases/${db.id}`);
    await live(`/api/v1/database-users/${made.body.user.id}`);
    assert.equal((await asA('POST', `/api/v1/hostings/${a().id}/sites`, { domain: 'bk-alpha.example' })).status, 201);
    assert.equal((await asA('POST', `/api/v1/hostings/${a().id}/mail-domains`, { name: 'bk-alpha.example' })).status, 201);
    const mb = await asA('POST', '/api/v1/mail-domains/bk-alpha.example/mailboxes', { localPart: 'joe', quotaMb: 5, password: `pw-${Math.random().toString(36).slice(2)}` });
    assert.equal(mb.status, 201, JSON.stringify(mb.body));
    box = { id: mb.body.id, address: mb.body.address };
    await live(`/api/v1/mailboxes/${box.id}`);
    const c = await conn(db.name);
    await c.query('CREATE TABLE orders (id INT PRIMARY KEY, item TEXT) ENGINE=InnoDB');
    await c.query("INSERT INTO orders VALUES (1, 'chair'), (2, 'table')");
    await c.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL) ENGINE=InnoDB');
    await c.query('INSERT INTO accounts VALUES (1, 1000), (2, 0)');
    for (const subject of ['first', 'second']) assert.equal((await smtp(SMTP_PORT, 'friend@world.example', box.address, ['--header', `Subject: ${subject}`, '--body', `the ${subject} mail`])).code, 0);
    await until('both mails delivered', async () => (await subjects('INBOX')).length === 2);
    await w.assign();
    await until('the data server has the repository', async () => !!w.data.states.at(-1)?.backups?.hostings.some((h) => h.hosting === a().id));
  });
  after(async () => {
    for (const c of open) await c.end().catch((e: unknown) => console.error(e));
    await w.close();
  });

  test('the data server is given the secrets of the hostings it holds a part of only; each part is backed up where it lives', async () => {
    const state = await new LocalManagerLink(w.m.manager.app, w.servers.data.id).fetch(null, 0, new AbortController().signal);
    const hostings = state!.backups!.hostings;
    assert.deepEqual(hostings.map((h) => h.hosting), [a().id], 'B has no database nor mailbox there: nothing of B');
    assert.deepEqual([hostings[0]!.files, hostings[0]!.databases, hostings[0]!.mailboxes], [false, [db.name], [box]]);
    const web = await new LocalManagerLink(w.m.manager.app, w.servers.web.id).fetch(null, 0, new AbortController().signal);
    assert.deepEqual(web!.backups!.hostings.map((h) => [h.name, h.files, h.databases.length, h.mailboxes.length]).sort(), [[a().name, true, 0, 0], [w.seeded.b.hosting.name, true, 0, 0]].sort());
    const backup = await new LocalManagerLink(w.m.manager.app, w.servers.backup.id).fetch(null, 0, new AbortController().signal);
    assert.equal(backup!.backups, undefined, 'the backup server holds no secret');
    await backUpAt('2026-12-02T03:00:00Z');
    const { days } = await listing();
    assert.equal(days[0]!.day, '2026-12-02', JSON.stringify(days));
    assert.deepEqual(days[0]!.parts.map((p) => p.part), ['files', `db:${db.name}`, `mail:${box.address}`]);
    // the sizes: the files' as the web server recorded them (an empty home here), the others' as the data server reported them
    for (const p of days[0]!.parts) assert.ok(p.sizeBytes !== null && (p.part === 'files' || p.sizeBytes > 0), `${p.part} has its size: ${JSON.stringify(p)}`);
    // no dump was ever left on the data server's disk
    const files = await run('find', [w.rootOf('data'), '-name', '*.sql'], { allowFailure: true });
    assert.equal(files.stdout.trim(), '');
  });

  test('a dump made while transactions go on holds each one entirely or not at all', async () => {
    const c = await conn(db.name);
    await c.query('CREATE TABLE moves (n INT PRIMARY KEY) ENGINE=InnoDB');
    const writer = await conn(db.name);
    let n = 0;
    let stop = false;
    const writing = (async () => {
      while (!stop) {
        await writer.beginTransaction();
        await writer.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
        await writer.query('INSERT INTO moves VALUES (?)', [++n]);
        await writer.query('UPDATE accounts SET balance = balance + 1 WHERE id = 2');
        await writer.commit();
      }
    })();
    await until('writes going on', async () => n > 20);
    await backUpAt('2026-12-03T03:00:00Z');
    const during = n;
    stop = true;
    await writing;
    assert.ok(during > 20, `transactions went on (${during})`);
    const part = (await listing()).days.find((d) => d.day === '2026-12-03')!.parts.find((p) => p.part === `db:${db.name}`)!;
    const r = await restore(part.shortId, { part: `db:${db.name}` });
    assert.match(r.target, new RegExp(`^${db.name}_restored_\\d{8}$`));
    const restored = await conn(r.target);
    const [sum] = await restored.query<Array<{ total: number; second: number; moves: number }>>(
      'SELECT (SELECT SUM(balance) FROM accounts) AS total, (SELECT balance FROM accounts WHERE id = 2) AS second, (SELECT COUNT(*) FROM moves) AS moves');
    assert.equal(Number(sum!.total), 1000, 'no money lost or made');
    assert.equal(Number(sum!.second), Number(sum!.moves), 'each move entirely or not at all');
    assert.ok(Number(sum!.moves) > 0, 'the dump was taken after writes began');
    // the restored database is the hosting's, counted and listed
    const dbs = (await asA('GET', `/api/v1/hostings/${a().id}/databases`)).body.items.map((d: { name: string }) => d.name);
    assert.ok(dbs.includes(r.target), dbs.join(', '));
  });

  test('a deleted row and a deleted mail come back: into a new database / folder, and in place after a safety copy', async () => {
    const day = (await listing()).days.find((d) => d.day === '2026-12-02')!;
    const dbPart = day.parts.find((p) => p.part === `db:${db.name}`)!;
    const mailPart = day.parts.find((p) => p.part === `mail:${box.address}`)!;
    const c = await conn(db.name);
    const rows = async (cx: Connection) => (await cx.query<Array<{ id: number; item: string }>>('SELECT id, item FROM orders ORDER BY id')).map((x) => `${x.id}:${x.item}`);
    const original = await rows(c);
    assert.deepEqual(original, ['1:chair', '2:table']);
    await c.query('DELETE FROM orders WHERE id = 2');
    await c.query("INSERT INTO orders VALUES (3, 'lamp')");
    assert.equal((await doveadm('expunge', '-u', box.address, 'mailbox', 'INBOX', 'header', 'Subject', 'second')).code, 0);
    assert.deepEqual(await subjects('INBOX'), ['first']);

    // into a new database (a day later: its own name) and a new folder
    w.clock.set('2026-12-04T10:00:00Z');
    const intoNew = await restore(dbPart.shortId, { part: `db:${db.name}`, mode: 'new' });
    assert.equal(intoNew.target, `${db.name}_restored_20261204`);
    assert.deepEqual(await rows(await conn(intoNew.target)), original);
    assert.deepEqual(await rows(c), ['1:chair', '3:lamp'], 'the database itself untouched');
    const folder = await restore(mailPart.shortId, { part: `mail:${box.address}` });
    assert.equal(folder.target, 'Restored-2026-12-04');
    assert.deepEqual(await subjects(`${folder.target}*`), ['first', 'second']);
    assert.deepEqual(await subjects('INBOX'), ['first'], 'the INBOX untouched');

    // in place, each after a safety copy that undoes it
    const inPlace = await restore(dbPart.shortId, { part: `db:${db.name}`, mode: 'in-place' });
    assert.deepEqual(await rows(c), original);
    assert.match(inPlace.safetySnapshot ?? '', /^[0-9a-f]{8,64}$/);
    const mailInPlace = await restore(mailPart.shortId, { part: `mail:${box.address}`, mode: 'in-place' });
    assert.deepEqual(await subjects('INBOX'), ['first', 'second']);
    const safety = (await listing()).snapshots.filter((p) => p.safety);
    assert.deepEqual(safety.map((p) => p.part).sort(), [`db:${db.name}`, `mail:${box.address}`]);
    assert.ok(safety.some((p) => p.shortId === inPlace.safetySnapshot || p.id === inPlace.safetySnapshot));
    assert.ok(safety.some((p) => p.shortId === mailInPlace.safetySnapshot || p.id === mailInPlace.safetySnapshot));
    const undo = await restore(inPlace.safetySnapshot!, { part: `db:${db.name}`, mode: 'in-place' });
    assert.ok(undo.safetySnapshot);
    assert.deepEqual(await rows(c), ['1:chair', '3:lamp'], 'the safety copy undid the restore');
  });

  test('a restore meeting the repository locked by another restic (a prune of the web server) waits for it, then restores', async () => {
    const part = (await listing()).days.find((d) => d.day === '2026-12-02')!.parts.find((p) => p.part === `db:${db.name}`)!;
    w.clock.set('2026-12-05T02:00:00Z'); // a new day for the new database's name, before the daily backups (03:00): the pass only restores
    const lock = await w.lockRepository(w.data.states.at(-1)!.backups!.hostings.find((h) => h.hosting === a().id)!);
    const met = w.exec.metLock.length;
    const released = (async () => {
      try {
        await until('the restore met the lock', async () => w.exec.metLock.slice(met).some((cmd) => cmd.includes('dump')));
      } finally {
        await lock.release();
      }
    })();
    // done, not failed: tried again once the lock was gone (both settled first: no wait left running)
    const [restored, watched] = await Promise.allSettled([restore(part.shortId, { part: `db:${db.name}`, mode: 'new' }), released]);
    if (watched.status === 'rejected') throw watched.reason;
    if (restored.status === 'rejected') throw restored.reason;
    const r = restored.value;
    assert.equal(r.target, `${db.name}_restored_20261205`);
    const c = await conn(r.target);
    assert.deepEqual((await c.query<Array<{ id: number }>>('SELECT id FROM orders ORDER BY id')).map((x) => x.id), [1, 2]);
  });

  test('another customer can neither list nor restore A\'s parts (404), nor restore A\'s database into its own hosting', async () => {
    const { asB } = w.seeded;
    const part = (await listing()).snapshots.find((p) => p.part === `db:${db.name}`)!;
    assert.equal((await asB('GET', `/api/v1/hostings/${a().id}/backups`)).status, 404);
    assert.equal((await asB('GET', `/api/v1/hostings/${a().id}/backups/restores`)).status, 404);
    assert.equal((await asB('POST', `/api/v1/hostings/${a().id}/backups/${part.shortId}/restore`, { part: `db:${db.name}` })).status, 404);
    const own = w.seeded.b.hosting.id;
    for (const body of [{ part: `db:${db.name}` }, { part: `db:${db.name}`, mode: 'in-place' }, { part: `mail:${box.address}` }]) {
      const r = await asB('POST', `/api/v1/hostings/${own}/backups/${part.shortId}/restore`, body);
      assert.equal(r.status, 404, JSON.stringify(r.body));
      assert.equal(r.body.code, 'backup_part.not_found');
    }
    const readonly = await w.m.api('POST', `/api/v1/hostings/${a().id}/backups/${part.shortId}/restore`, { part: `db:${db.name}` }, { token: w.seeded.reader.token });
    assert.equal(readonly.status, 403);
  });
});
