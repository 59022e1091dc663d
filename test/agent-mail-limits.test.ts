// Integration (root, a real Postfix, Dovecot and postsrsd that the mail server's agent runs as
// instances of its own on loopback ports 25450–25461, swaks as the sender, Python's imaplib as the
// reader, an SMTP sink on 25457 standing for the world): with a limit of 3 messages an hour the 4th
// submitted message is held (Postfix's hold queue), staff see it and release it (delivered) or delete
// it, the customer sees "sending held", another customer can do nothing with it, and the counts
// survive an agent restart; a forward leaves with an SRS envelope sender and a bounce to that
// address reaches the original sender; a catch-all takes unknown addresses while known ones go to
// their mailboxes; a full mailbox bounces (552) or defers (452) as the node is configured.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-mail-limits.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type net from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { alphaAndBravo, startTestManager, type TestManager } from './helpers/manager.js';
import { until, TEST_RECONCILE_MS } from './helpers/node.js';
import { auth, missingMailTools, readImap, run, smtp, smtpSink, type SunkMessage } from './helpers/mail.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { nodeLayout } from '../src/node/layout.js';
import { MailDriver } from '../src/mail/apply-mail.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';
import { HELD_SETTLE_MS } from '../src/mail/apply-mail-held.js';
import { ManualClock } from '../src/platform/clock.js';

const PORTS = { smtp: 25450, submission: 25451, smtps: 25452, imap: 25453, imaps: 25454, pop3: 25455, pop3s: 25456, sieve: 25460, replies: 25461 };
const SINK = 25457;
const SRS = { forward: 25458, reverse: 25459 };
const missing = missingMailTools(['/usr/sbin/postsrsd', '/usr/sbin/postqueue', '/usr/sbin/postsuper']);
if (missing.length && process.env.CI === 'true') test('Postfix, Dovecot and postsrsd are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-mail-limits.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

type Api = Awaited<ReturnType<typeof alphaAndBravo>>['asA'];

describe('sending limits, SRS, catch-all and over-quota answers on a real Postfix', { skip: missing.length > 0 }, () => {
  let m: TestManager;
  let agent: Agent | null = null;
  let driver: MailDriver;
  let root: string;
  let serverId: string;
  let agentToken: string;
  let sink: { server: net.Server; messages: SunkMessage[] };
  let asA: Api;
  let asB: Api;
  let [hostingA, hostingB, hostingBId] = ['', '', ''];
  const boxes: Record<string, { id: string; address: string; password: string }> = {};
  const settings = {
    ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_PORTS: Object.entries(PORTS).map(([k, v]) => `${k}=${v}`).join(','), ABRI_MAIL_HOSTNAME: 'mail.abri.test',
    ABRI_MAIL_RELAYHOST: `[127.0.0.1]:${SINK}`, ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_RSPAMD: '', ABRI_MAIL_LOGIN_DELAY: 'none', ABRI_MAIL_SRS_PORTS: `forward=${SRS.forward},reverse=${SRS.reverse}`,
  };
  const log = pino({ level: process.env.MAIL_TEST_LOG ?? 'silent' });
  const clock = new ManualClock(); // the driver's: when it reads the hold queue again

  /** Starts the mail server's agent (a new driver: as after a restart of the agent). */
  async function startAgent(extra: Record<string, string> = {}) {
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...settings, ...extra });
    const d = new MailDriver(new LocalExecutor(), config.node, nodeLayout(root), log, null, clock);
    driver = d;
    agent = new Agent({
      link: new HttpManagerLink(m.url, agentToken), mode: 'apply', log, reconcileMs: TEST_RECONCILE_MS, waitMs: 2000, drivers: [d],
      queries: { 'mail-held': (args, ctx) => d.heldQuery(args, ctx) },
    }).start();
  }
  async function stopAgent() {
    await agent?.stop();
    await driver?.close();
    agent = null;
  }

  const live = (kind: 'mailboxes' | 'mail-aliases', id: string) => until(`${kind} ${id} live`, async () => {
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
  const alias = async (domain: string, localPart: string, destinations: string[]) => {
    const r = await m.api('POST', `/api/v1/mail-domains/${domain}/aliases`, { localPart, destinations });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await live('mail-aliases', r.body.id);
    return r.body;
  };
  const inbox = (k: string) => readImap(PORTS.imaps, boxes[k]!.address, boxes[k]!.password);
  const sunk = (text: string) => sink.messages.filter((msg) => msg.lines.some((l) => l.includes(text)));
  const submit = (k: string, body: string) => smtp(PORTS.submission, boxes[k]!.address, 'friend@world.example', ['-tls', ...auth(boxes[k]!.address, boxes[k]!.password), '--body', body]);
  const held = async () => {
    const r = await run('postqueue', ['-c', mailPaths(root).postfixDir, '-j']);
    return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { queue_name: string; sender: string }).filter((q) => q.queue_name === 'hold');
  };
  const sendingHeld = (k: string, n: number) => until(`${k} shows ${n} held`, async () => (await m.api('GET', `/api/v1/mailboxes/${boxes[k]!.id}`)).body.sendingHeld === n);

  before(async () => {
    root = await mkdtemp('/tmp/abri-limits-mail-');
    await chmod(root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
    sink = smtpSink(SINK);
    m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: 'lim', ABRI_UID_MIN: '66700', ABRI_UID_MAX: '66799', ...settings } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['127.0.0.1'] })).body;
    [serverId, agentToken] = [server.id, server.agentToken];
    const offer = { maxMailboxes: 5, mailMb: 20, mailSendPerHour: 3, mailSendPerDay: 100 };
    const t = await alphaAndBravo(m, { a: offer, b: offer });
    ({ asA, asB } = t);
    [hostingA, hostingB, hostingBId] = [t.a.hosting.name, t.b.hosting.name, t.b.hosting.id];
    for (const [k, h] of [['a', t.a.hosting], ['b', t.b.hosting]] as const) {
      assert.equal((await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain: `mail.${k}-lim.example` })).status, 201);
      assert.equal((await m.api('POST', `/api/v1/hostings/${h.id}/mail-domains`, { name: `mail.${k}-lim.example` })).status, 201);
    }
    await startAgent();
    await mailbox('joe', 'mail.a-lim.example', 'joe');
    await mailbox('ann', 'mail.a-lim.example', 'ann');
    await mailbox('bob', 'mail.b-lim.example', 'bob');
  });

  after(async () => {
    await stopAgent();
    await driver?.reconcile({ revision: 0, server: { id: serverId, name: 'mail-1', roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } }).catch((e: unknown) => console.error(e));
    sink?.server.close();
    m?.manager.server.server.closeAllConnections();
    await m?.close();
    if (root && !process.env.MAIL_TEST_KEEP) await rm(root, { recursive: true, force: true });
  });

  test('past 3 messages an hour the 4th is held, not sent; staff see and release it; the customer sees "sending held"; another customer can do nothing', async () => {
    // nothing held since the last count: applying a change does not read the hold queue again
    const reads = driver.held.reads;
    assert.ok(reads > 0);
    await mailbox('amy', 'mail.a-lim.example', 'amy');
    assert.equal(driver.held.reads, reads, 'postqueue -j is not run on every apply');
    for (const n of [1, 2, 3, 4]) {
    const r = await submit('joe', `rate message ${n}`);
      assert.equal(r.code, 0, `message ${n}: ${r.stdout}`);
    }
    await until('3 messages at the sink', async () => sunk('rate message').length === 3);
    const onHold = await until('one message on hold', async () => ((await held()).length === 1 ? held() : undefined));
    assert.equal(onHold[0]!.sender, boxes.joe!.address);
    assert.equal(sunk('rate message 4').length, 0, 'the 4th is not sent');
    await sendingHeld('joe', 1); // the policy held one: the queue is read again
    assert.ok(driver.held.reads > reads);
    clock.advance(HELD_SETTLE_MS);
    // the customer sees it on the mailbox; the list, the messages and the actions are staff's
    assert.equal((await asA('GET', `/api/v1/mailboxes/${boxes.joe!.id}`)).body.sendingHeld, 1);
    assert.equal((await asA('GET', '/api/v1/mail-held')).status, 403);
    assert.equal((await asA('POST', `/api/v1/mailboxes/${boxes.joe!.id}/held/release`)).status, 403);
    for (const [method, url] of [['GET', '/api/v1/mail-held'], ['GET', `/api/v1/mailboxes/${boxes.joe!.id}/held`], ['POST', `/api/v1/mailboxes/${boxes.joe!.id}/held/release`], ['POST', `/api/v1/mailboxes/${boxes.joe!.id}/held/delete`]] as const) {
      assert.equal((await asB(method, url)).status, 403, `${method} ${url} as Bravo`);
    }
    assert.equal((await asB('GET', `/api/v1/mailboxes/${boxes.joe!.id}`)).status, 404);
    assert.equal((await held()).length, 1, 'still held');
    // staff
    const list = (await m.api('GET', '/api/v1/mail-held')).body.items;
    assert.deepEqual(list.map((b: { address: string }) => b.address), [boxes.joe!.address]);
    const messages = (await m.api('GET', `/api/v1/mailboxes/${boxes.joe!.id}/held`)).body.messages;
    assert.deepEqual(messages.map((x: { recipients: string[] }) => x.recipients), [['friend@world.example']]);
    const released = await m.api('POST', `/api/v1/mailboxes/${boxes.joe!.id}/held/release`);
    assert.equal(released.status, 200, JSON.stringify(released.body));
    assert.equal(released.body.messages.length, 1);
    await until('the 4th at the sink', async () => sunk('rate message 4').length === 1);
    await sendingHeld('joe', 0);
    assert.deepEqual((await m.api('GET', '/api/v1/mail-held')).body.items, []);
    // ann, of the same hosting, has her own count
    assert.equal((await submit('ann', 'from ann')).code, 0);
    await until('ann\'s message at the sink', async () => sunk('from ann').length === 1);
  });

  test('a catch-all takes mail for unknown addresses; known ones still go to their mailboxes; no relay, and other domains unchanged', async () => {
    const all = await alias('mail.a-lim.example', '*', [boxes.joe!.address]);
    assert.equal(all.address, '*@mail.a-lim.example');
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', 'nobody@mail.a-lim.example', ['--body', 'to nobody'])).code, 0);
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.ann!.address, ['--body', 'to ann herself'])).code, 0);
    await until('the unknown address in joe\'s INBOX', async () => (await inbox('joe')).bodies?.some((b) => b.includes('to nobody')));
    await until('ann\'s own mail in her INBOX', async () => (await inbox('ann')).bodies?.some((b) => b.includes('to ann herself')));
    assert.ok(!(await inbox('joe')).bodies!.some((b) => b.includes('to ann herself')), 'the catch-all does not take a mailbox\'s mail');
    assert.match((await smtp(PORTS.smtp, 'someone@elsewhere.example', 'victim@world.example')).stdout, /554 5\.7\.1 .*Relay access denied/);
    assert.match((await smtp(PORTS.smtp, 'someone@elsewhere.example', 'nobody@mail.b-lim.example')).stdout, /550 5\.1\.1 .*User unknown/);
    // another customer cannot remove it
    assert.equal((await asB('DELETE', `/api/v1/mail-aliases/${all.id}`)).status, 404);
  });

  test('a forward leaves with an SRS envelope sender; a bounce to that address reaches the original sender', async () => {
    await alias('mail.a-lim.example', 'fwd', ['someone@far.example']);
    const fwd = await smtp(PORTS.smtp, boxes.bob!.address, 'fwd@mail.a-lim.example', ['--body', 'please forward me']);
    assert.equal(fwd.code, 0, fwd.stdout);
    const [msg] = await until('the forward at the sink', async () => (sunk('please forward me').length ? sunk('please forward me') : undefined));
    assert.deepEqual(msg!.to, ['someone@far.example']);
    assert.match(msg!.from, /^SRS0=[^=]+=[^=]+=mail\.b-lim\.example=bob@mail\.abri\.test$/, msg!.from);
    // the destination bounces to the SRS address: it comes back to bob
    assert.equal((await smtp(PORTS.smtp, '<>', msg!.from, ['--body', 'bounce: undeliverable'])).code, 0);
    await until('the bounce in bob\'s INBOX', async () => (await inbox('bob')).bodies?.some((b) => b.includes('bounce: undeliverable')));
    // a forged SRS address is refused at RCPT (no backscatter)
    assert.match((await smtp(PORTS.smtp, '<>', 'SRS0=abcd=XY=elsewhere.example=x@mail.abri.test')).stdout, /550 5\.1\.1/);
    // mail submitted by a customer keeps its own sender
    assert.equal((await submit('bob', 'bob writes himself')).code, 0);
    const [own] = await until('bob\'s own message at the sink', async () => (sunk('bob writes himself').length ? sunk('bob writes himself') : undefined));
    assert.equal(own!.from, boxes.bob!.address);
  });

  test('a full mailbox bounces (552) by default, defers (452) with ABRI_MAIL_OVERQUOTA=defer; the sending counts survive an agent restart', async () => {
    await mailbox('small', 'mail.b-lim.example', 'small', 1);
    const file = path.join(root, 'big.txt');
    await writeFile(file, Buffer.alloc(800_000, 7).toString('base64').replace(/.{76}/g, '$&\n'));
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.small!.address, ['--body', `@${file}`])).code, 0);
    await until('the usage over the quota', async () => ((await m.api('GET', `/api/v1/mailboxes/${boxes.small!.id}`)).body.usedBytes ?? 0) > 1024 * 1024);
    assert.match((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.small!.address)).stdout, /552 5\.2\.2 .*Mailbox is full/);
    // joe sends 2 of his 3, then the agent restarts (with the other over-quota answer)
    for (const n of [5, 6]) assert.equal((await submit('joe', `rate message ${n}`)).code, 0);
    await until('5 and 6 at the sink', async () => sunk('rate message 5').length + sunk('rate message 6').length === 2);
    await stopAgent();
    await startAgent({ ABRI_MAIL_OVERQUOTA: 'defer' });
    await until('a full mailbox deferred', async () => /452 4\.2\.2 .*Mailbox is full/.test((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.small!.address)).stdout));
    for (const n of [7, 8]) assert.equal((await submit('joe', `rate message ${n}`)).code, 0);
    await until('7 at the sink, 8 held', async () => sunk('rate message 7').length === 1 && (await held()).length === 1);
    await sendingHeld('joe', 1);
    const deleted = await m.api('POST', `/api/v1/mailboxes/${boxes.joe!.id}/held/delete`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal((await held()).length, 0);
    assert.equal(sunk('rate message 8').length, 0, 'a deleted message is never sent');
  });

  test('a terminated hosting\'s mail is kept until its purge (its domain refuses mail, nobody signs in), back if the hosting is active again, then deleted by the purge', async () => {
    const vmail = path.join(mailPaths(root).vmailDir, hostingB);
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.bob!.address, ['--body', 'before the end'])).code, 0);
    await until('bob\'s mail on disk', async () => (await run('find', [vmail, '-type', 'f', '-path', '*/new/*'])).stdout.trim() !== '');
    assert.equal((await m.api('DELETE', `/api/v1/hostings/${hostingBId}`)).status, 200);
    await until('bob locked', async () => (await m.api('GET', `/api/v1/mailboxes/${boxes.bob!.id}`)).body.locked);
    // no longer receives: refused at RCPT, permanently and saying why; nothing queued
    await until('mail to bob refused', async () => /550 5\.2\.1 .*its hosting has ended/.test((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.bob!.address, ['--quit-after', 'RCPT'])).stdout));
    assert.match((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.bob!.address, ['--body', 'after the end'])).stdout, /550 5\.2\.1 .*its hosting has ended/);
    const viaSubmission = await smtp(PORTS.submission, boxes.ann!.address, boxes.bob!.address, ['-tls', ...auth(boxes.ann!.address, boxes.ann!.password), '--body', 'ann writes to bob']);
    assert.match(viaSubmission.stdout, /550 5\.1\.1 .*User unknown/, 'not through submission either');
    assert.match((await readImap(PORTS.imaps, boxes.bob!.address, boxes.bob!.password)).error ?? '', /AUTHENTICATIONFAILED/);
    assert.ok((await run('test', ['-d', vmail])).code === 0, 'kept during the retention');
    // the hosting active again within the retention (its status set as a restore would: Abri has no
    // such verb yet): bob signs in and finds his mail, and receives again
    await m.manager.app.db.updateTable('hostings').set({ status: 'active', terminatedAt: null }).where('id', '=', hostingBId).execute();
    await stopAgent();
    await startAgent();
    const back = await until('bob reads his old mail', async () => (await readImap(PORTS.imaps, boxes.bob!.address, boxes.bob!.password)).bodies);
    assert.ok(back.some((b) => b.includes('before the end')), 'the mail kept is back');
    assert.ok(!back.some((b) => b.includes('after the end')), 'what was refused never arrived');
    // Dovecot reads its password files at each sign-in, Postfix's smtpd its tables when it starts again
    // after the reload: as for the refusal above, until Postfix accepts bob's mail at RCPT
    await until('mail to bob accepted again', async () => (await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.bob!.address, ['--quit-after', 'RCPT'])).code === 0);
    assert.equal((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.bob!.address, ['--body', 'welcome back'])).code, 0);
    await until('new mail for bob', async () => (await readImap(PORTS.imaps, boxes.bob!.address, boxes.bob!.password)).bodies?.some((b) => b.includes('welcome back')));
    assert.equal((await m.api('DELETE', `/api/v1/hostings/${hostingBId}`)).status, 200);
    await until('bob locked again', async () => (await m.api('GET', `/api/v1/mailboxes/${boxes.bob!.id}`)).body.locked);
    const purge = await m.api('POST', `/api/v1/hostings/${hostingBId}/purge`, { force: true });
    assert.equal(purge.status, 200, JSON.stringify(purge.body));
    await until('bob\'s mail deleted', async () => (await run('test', ['-e', vmail])).code !== 0);
    // the hosting's domains are no longer served: its addresses are as any other domain's
    assert.match((await smtp(PORTS.smtp, 'someone@elsewhere.example', boxes.bob!.address)).stdout, /554 5\.7\.1 .*Relay access denied/);
    // the other hosting's mail is untouched
    assert.equal((await run('test', ['-d', path.join(mailPaths(root).vmailDir, hostingA)])).code, 0);
  });
});
