// Integration (root, a real Postfix and Dovecot that the mail server's agent runs as instances of
// its own on loopback ports 25250–25256 — never the machine's port 25 or 143 — with swaks as the
// sender and Python's imaplib/poplib as the reader): mail sent to a mailbox through the SMTP port
// arrives and is read over IMAP and POP3; an alias forwards; authenticated submission relays (to a
// sink on 25257 standing for the world), an unauthenticated relay is refused, and so is a wrong
// password or a forged sender; another hosting's mailbox never reads this one's mail; a full
// mailbox refuses mail at RCPT with a clear error and its usage reaches the API; a malformed row
// is left out alone; a reload keeps open IMAP sessions.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-mail.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until, TEST_RECONCILE_MS } from './helpers/node.js';
import { readMail } from './helpers/mail.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { nodeLayout } from '../src/node/layout.js';
import { MailDriver } from '../src/mail/apply-mail.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';

const PORTS = { smtp: 25250, submission: 25251, smtps: 25252, imap: 25253, imaps: 25254, pop3: 25255, pop3s: 25256, sieve: 25258, replies: 25259 };
const SINK = 25257;
const missing = ['/usr/sbin/postfix', '/usr/sbin/dovecot', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3', '/usr/bin/swaks', '/usr/bin/python3', '/usr/bin/openssl']
  .filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('Postfix and Dovecot are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-mail.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

interface Run { code: number; stdout: string; stderr: string }
const run = (cmd: string, args: string[]): Promise<Run> => new Promise((resolve) => {
  execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

/** swaks; the last server reply lines tell what happened */
const swaks = (args: string[]) => run('swaks', ['--server', '127.0.0.1', '--helo', 'client.abri.test', '--timeout', '30', ...args]);
const smtp = (port: number, from: string, to: string, extra: string[] = []) => swaks(['--port', String(port), '--from', from, '--to', to, ...extra]);
const auth = (user: string, password: string) => ['--auth', 'PLAIN', '--auth-user', user, '--auth-password', password];

/** Python's imaplib or poplib over TLS (the server's self-signed certificate accepted): the INBOX's bodies, or the error. */
async function read(proto: 'imap' | 'pop3', user: string, password: string): Promise<{ bodies?: string[]; error?: string }> {
  const { messages, error } = await readMail(proto, proto === 'imap' ? PORTS.imaps : PORTS.pop3, user, password, { part: proto === 'imap' ? 'TEXT' : '' });
  return messages ? { bodies: messages } : { error };
}

describe('mail on a real Postfix and Dovecot, applied by the mail server\'s agent', { skip: missing.length > 0 }, () => {
  let m: TestManager;
  let agent: Agent | null = null;
  let driver: MailDriver;
  let root: string;
  let serverId: string;
  let sink: net.Server;
  const relayed: string[] = [];
  const hostings: Record<string, { id: string; name: string; uid: number }> = {};
  const boxes: Record<string, { id: string; address: string; password: string }> = {};

  const live = (kind: 'mailboxes' | 'mail-domains' | 'mail-aliases', id: string) => until(`${kind} ${id} live`, async () => {
    const p = (await m.api('GET', `/api/v1/${kind}/${id}`)).body.provisioning;
    if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
    return p.status === 'live';
  });
  const mailbox = async (k: string, domain: string, localPart: string, quotaMb = 5) => {
    const password = `pw-${k}-${Math.random().toString(36).slice(2)}`;
    const r = await m.api('POST', `/api/v1/mail-domains/${domain}/mailboxes`, { localPart, quotaMb, password });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    boxes[k] = { id: r.body.id, address: r.body.address, password };
    await live('mailboxes', r.body.id);
  };

  before(async () => {
    root = await mkdtemp('/tmp/abri-mail-test-');
    await chmod(root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
    // the world, for authenticated submission: an SMTP sink on loopback that keeps what it receives
    sink = net.createServer((s) => {
      let data = false;
      let buf = '';
      s.on('error', (e) => relayed.push(`sink error: ${e.message}`)); // a client that hangs up is no failure of the sink
      s.write('220 sink ESMTP\r\n');
      s.on('data', (chunk) => {
        buf += chunk.toString('latin1');
        for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (data) {
            if (line === '.') (data = false, s.write('250 ok\r\n'));
            else relayed.push(line);
          } else if (/^DATA/i.test(line)) (data = true, s.write('354 go\r\n'));
          else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
          else s.write(/^EHLO/i.test(line) ? '250 sink\r\n' : '250 ok\r\n');
        }
      });
    }).listen(SINK, '127.0.0.1');
    const settings = { ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_PORTS: Object.entries(PORTS).map(([k, v]) => `${k}=${v}`).join(','), ABRI_MAIL_HOSTNAME: 'mail.abri.test', ABRI_MAIL_RELAYHOST: `[127.0.0.1]:${SINK}`, ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_LOGIN_DELAY: 'none' };
    m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: 'aml', ABRI_UID_MIN: '66300', ABRI_UID_MAX: '66399', ...settings } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['127.0.0.1'] })).body;
    serverId = server.id;
    for (const [k, customer] of [['a', 'Alpha'], ['b', 'Bravo']] as const) {
      const h = (await seedHosting(m, { customer, offer: { maxMailboxes: 4, mailMb: 20 } })).hosting;
      hostings[k] = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body;
      const site = await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain: `mail.${k}-org.example`, aliases: [`www.${k}-org.example`] });
      assert.equal(site.status, 201, JSON.stringify(site.body));
      const d = await m.api('POST', `/api/v1/hostings/${h.id}/mail-domains`, { name: `mail.${k}-org.example` });
      assert.equal(d.status, 201, JSON.stringify(d.body));
    }
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...settings });
    const log = pino({ level: process.env.MAIL_TEST_LOG ?? 'silent' });
    driver = new MailDriver(new LocalExecutor(), config.node, nodeLayout(root), log);
    agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: TEST_RECONCILE_MS, waitMs: 2000, drivers: [driver] }).start();
    await mailbox('joe', 'mail.a-org.example', 'joe');
    await mailbox('bob', 'mail.b-org.example', 'bob');
  });

  after(async () => {
    await agent?.stop();
    // the driver's own code stops Postfix and Dovecot: no mail domain is wanted any more
    await driver?.reconcile({ revision: 0, server: { id: serverId, name: 'mail-1', roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } }).catch((e: unknown) => console.error(e));
    sink?.close();
    m?.manager.server.server.closeAllConnections();
    await m?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('a message sent to a mailbox through the SMTP port arrives and is read over IMAP and POP3, as the hosting\'s uid only', async () => {
    const sent = await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.joe!.address, ['--body', 'hello joe over smtp']);
    assert.equal(sent.code, 0, sent.stdout + sent.stderr);
    const inbox = await until('the message in joe\'s INBOX', async () => {
      const r = await read('imap', boxes.joe!.address, boxes.joe!.password);
      return r.bodies?.some((b) => b.includes('hello joe over smtp')) ? r : undefined;
    });
    assert.ok(inbox.bodies!.length >= 1);
    const pop = await read('pop3', boxes.joe!.address, boxes.joe!.password);
    assert.ok(pop.bodies?.some((b) => b.includes('hello joe over smtp')), JSON.stringify(pop));
    // stored under the hosting's uid, in a folder nobody else may enter
    const dir = await stat(path.join(mailPaths(root).vmailDir, hostings.a!.name));
    assert.deepEqual([dir.uid, dir.gid, dir.mode & 0o777], [hostings.a!.uid, hostings.a!.uid, 0o700]);
    const home = await stat(path.join(mailPaths(root).vmailDir, hostings.a!.name, boxes.joe!.id));
    assert.equal(home.uid, hostings.a!.uid);
  });

  test('an alias forwards to its destinations; an unknown address is refused', async () => {
    const r = await m.api('POST', '/api/v1/mail-domains/mail.a-org.example/aliases', { localPart: 'contact', destinations: [boxes.joe!.address] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await live('mail-aliases', r.body.id);
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', 'contact@mail.a-org.example', ['--body', 'via the contact alias'])).code, 0);
    await until('the aliased message in joe\'s INBOX', async () => (await read('imap', boxes.joe!.address, boxes.joe!.password)).bodies?.some((b) => b.includes('via the contact alias')));
    const unknown = await smtp(PORTS.smtp, 'someone@elsewhere.example', 'nobody@mail.a-org.example');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stdout, /550 5\.1\.1 .*User unknown/);
  });

  test('authenticated submission relays (587 STARTTLS, 465 TLS); no open relay, no wrong password, no forged sender', async () => {
    const ok = await smtp(PORTS.submission, boxes.joe!.address, 'friend@world.example', ['-tls', ...auth(boxes.joe!.address, boxes.joe!.password), '--body', 'relayed over 587']);
    assert.equal(ok.code, 0, ok.stdout);
    const tls = await smtp(PORTS.smtps, boxes.joe!.address, 'friend@world.example', ['-tlsc', ...auth(boxes.joe!.address, boxes.joe!.password), '--body', 'relayed over 465']);
    assert.equal(tls.code, 0, tls.stdout);
    await until('both messages at the sink', async () => relayed.some((l) => l.includes('relayed over 587')) && relayed.some((l) => l.includes('relayed over 465')));
    // port 25 without authentication: mail for our domains only
    const open = await smtp(PORTS.smtp, boxes.joe!.address, 'victim@world.example');
    assert.match(open.stdout, /554 5\.7\.1 .*Relay access denied/);
    // submission without authentication, with a wrong password, or as someone else
    const anonymous = await smtp(PORTS.submission, boxes.joe!.address, 'victim@world.example', ['-tls']);
    assert.match(anonymous.stdout, /<~\* 5\d\d /);
    const wrong = await smtp(PORTS.submission, boxes.joe!.address, 'victim@world.example', ['-tls', ...auth(boxes.joe!.address, 'not-the-password')]);
    assert.match(wrong.stdout, /535 5\.7\.8/);
    const forged = await smtp(PORTS.submission, boxes.bob!.address, 'victim@world.example', ['-tls', ...auth(boxes.joe!.address, boxes.joe!.password)]);
    assert.match(forged.stdout, /553 5\.7\.1 .*not owned by user/);
    assert.ok(!relayed.some((l) => l.includes('victim')), 'nothing refused reached the world');
    assert.match((await read('imap', boxes.joe!.address, 'not-the-password')).error ?? '', /AUTHENTICATIONFAILED/);
  });

  test('another hosting\'s mailbox never reads this one\'s mail, with its password or with this one\'s', async () => {
    const asBob = await read('imap', boxes.bob!.address, boxes.bob!.password);
    assert.deepEqual(asBob.bodies, []);
    assert.match((await read('imap', boxes.joe!.address, boxes.bob!.password)).error ?? '', /AUTHENTICATIONFAILED/);
    assert.match((await read('imap', `${boxes.joe!.address}*${boxes.bob!.address}`, boxes.bob!.password)).error ?? '', /AUTHENTICATIONFAILED/);
    const dir = await stat(path.join(mailPaths(root).vmailDir, hostings.b!.name));
    assert.notEqual(dir.uid, hostings.a!.uid);
  });

  test('a full mailbox refuses mail at RCPT with a clear error; its usage reaches the API', async () => {
    await mailbox('small', 'mail.a-org.example', 'small', 1);
    const file = path.join(root, 'big.txt');
    // about 600 KB, then 475 KB: the second brings the mailbox over its 1 MB (within Dovecot's 10 % grace)
    await writeFile(file, Buffer.alloc(450_000, 7).toString('base64').replace(/.{76}/g, '$&\n'));
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.small!.address, ['--body', `@${file}`])).code, 0);
    await writeFile(file, Buffer.alloc(350_000, 9).toString('base64').replace(/.{76}/g, '$&\n'));
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.small!.address, ['--body', `@${file}`])).code, 0);
    const used = await until('the usage measured and reported', async () => {
      const b = (await m.api('GET', `/api/v1/mailboxes/${boxes.small!.id}`)).body;
      return b.usedBytes !== null && b.usedBytes > 1024 * 1024 ? b.usedBytes : undefined;
    });
    assert.ok(used < 1.2 * 1024 * 1024, String(used));
    const full = await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.small!.address, ['--body', 'one more']);
    assert.notEqual(full.code, 0);
    assert.match(full.stdout, /552 5\.2\.2 .*Mailbox is full/);
    // the others still receive
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.joe!.address, ['--body', 'still fine'])).code, 0);
  });

  test('a malformed mailbox row is left out and reported alone; the others are served, and new ones too', async () => {
    const db = m.manager.app.db;
    const domain = (await m.api('GET', '/api/v1/mail-domains/mail.a-org.example')).body;
    // a row the API would never write (a line break in its local part: a new line in the lookup tables)
    const bad = await db.insertInto('mailboxes').values({
      domainId: domain.id, hostingId: hostings.a!.id, localPart: 'evil\nroot@mail.b-org.example', quotaMb: 1, passwordHash: sha512Crypt('x'), enabled: true, passwordChangedAt: new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    await mailbox('late', 'mail.a-org.example', 'late');
    const p = await until('the bad row in error', async () => {
      const r = (await m.api('GET', `/api/v1/mail-domains/${domain.id}/mailboxes`)).body.items.find((b: { id: string }) => b.id === bad.id);
      return r?.provisioning.status === 'error' ? r.provisioning : undefined;
    });
    assert.equal(p.code, 'render.invalid');
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.late!.address, ['--body', 'for the late one'])).code, 0);
    await until('the late mailbox receives', async () => (await read('imap', boxes.late!.address, boxes.late!.password)).bodies?.some((b) => b.includes('for the late one')));
    await db.deleteFrom('mailboxes').where('id', '=', bad.id).execute();
  });

  /** An IMAP session signed in and waiting: `ask()` sends a NOOP and a SEARCH, and says what came back (or why not). */
  async function imapSession(address: string, password: string) {
    const py = spawn('python3', ['-I', '-S', '-c', `
import imaplib, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
m = imaplib.IMAP4_SSL('127.0.0.1', ${PORTS.imaps}, ssl_context=ctx); m.login(sys.argv[1], sys.argv[2]); m.select('INBOX')
print('open', flush=True); sys.stdin.readline()
print(m.noop()[0], m.search(None, 'ALL')[0], flush=True)
`, address, password]);
    let out = '';
    let err = '';
    let exit: number | null = null;
    py.stdout.on('data', (d) => (out += d));
    py.stderr.on('data', (d) => (err += d));
    py.once('exit', (code) => (exit = code));
    await until('the IMAP session open', async () => out.includes('open') || exit !== null);
    assert.ok(out.includes('open'), `the session did not open: ${err}`);
    return {
      async ask() {
        py.stdin.end('\n');
        await until('the session answered (or the client ended)', async () => /OK OK/.test(out) || exit !== null);
        return { answered: /OK OK/.test(out), why: `exit ${exit}, ${err.trim().split('\n').slice(-3).join(' | ')}` };
      },
    };
  }

  test('a change reloads gracefully: an open IMAP session goes on, past Dovecot\'s 6 s kill of the old processes', async () => {
    const session = await imapSession(boxes.joe!.address, boxes.joe!.password);
    const pid = Number((await run('cat', [path.join(mailPaths(root).baseDir, 'master.pid')])).stdout.trim());
    await mailbox('reload', 'mail.a-org.example', 'reload');
    assert.equal(Number((await run('cat', [path.join(mailPaths(root).baseDir, 'master.pid')])).stdout.trim()), pid, 'Dovecot reloaded, not restarted');
    // Dovecot 2.3 kills the previous configuration's processes 6 s after a reload unless shutdown_clients = no:
    // the session must outlive that timer (a wait for a fixed timer of Dovecot's, not a measure of speed)
    await new Promise((r) => setTimeout(r, 7_000));
    const { answered, why } = await session.ask();
    assert.ok(answered, `the session opened before the reload did not answer: ${why}`);
  });

  test('a new password ends the mailbox\'s open sessions, and only its own', async () => {
    const joe = await imapSession(boxes.joe!.address, boxes.joe!.password);
    const other = await imapSession(boxes.reload!.address, boxes.reload!.password);
    const changed = await m.api('POST', `/api/v1/mailboxes/${boxes.joe!.id}/password`, { password: 'a brand new mail password' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    boxes.joe!.password = 'a brand new mail password';
    await until('the new password on the server', async () => (await m.api('GET', `/api/v1/mailboxes/${boxes.joe!.id}`)).body.provisioning.status === 'live'
      && (await read('imap', boxes.joe!.address, boxes.joe!.password)).error === undefined);
    assert.equal((await joe.ask()).answered, false, 'the session signed in with the old password was ended');
    const kept = await other.ask();
    assert.ok(kept.answered, `another mailbox's session goes on: ${kept.why}`);
  });

  test('a suspended hosting\'s mailboxes still receive mail but nobody signs in or sends', async () => {
    assert.equal((await m.api('POST', `/api/v1/hostings/${hostings.b!.id}/suspend`, { reason: 'unpaid invoice' })).status, 200);
    await until('bob locked on the server', async () => {
      const b = (await m.api('GET', `/api/v1/mailboxes/${boxes.bob!.id}`)).body;
      return b.locked && b.provisioning.status === 'live' && /AUTHENTICATIONFAILED/.test((await read('imap', boxes.bob!.address, boxes.bob!.password)).error ?? '');
    });
    const send = await smtp(PORTS.submission, boxes.bob!.address, 'friend@world.example', ['-tls', ...auth(boxes.bob!.address, boxes.bob!.password)]);
    assert.match(send.stdout, /535 5\.7\.8/);
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.bob!.address, ['--body', 'kept while suspended'])).code, 0);
    assert.equal((await m.api('POST', `/api/v1/hostings/${hostings.b!.id}/reactivate`, {})).status, 200);
    await until('bob reads what came meanwhile', async () => (await read('imap', boxes.bob!.address, boxes.bob!.password)).bodies?.some((b) => b.includes('kept while suspended')));
  });
});
