// Integration (root, a real Postfix and Dovecot with Pigeonhole, run by the mail server's agent on
// loopback ports 25350–25358, the world an SMTP sink on 25359): an out-of-office reply set through
// the API goes out once per sender, never to automatic replies, bounces or lists, with the
// customer's text sent literally (it never becomes Sieve); a reply before its first day or switched
// off is not sent; a customer's own filter uploaded over ManageSieve (STARTTLS required, a script
// quota) files mail into a folder, read over IMAP, and runs after Abri's reply.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-mail-sieve.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { until } from './helpers/node.js';
import { run, startMailStack, type MailStack } from './helpers/mail-stack.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';

const PORTS = { smtp: 25350, submission: 25351, smtps: 25352, imap: 25353, imaps: 25354, pop3: 25355, pop3s: 25356, sieve: 25357, replies: 25358 };
const SINK = 25359;
const missing = ['/usr/sbin/postfix', '/usr/sbin/dovecot', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/managesieve', '/usr/bin/sievec', '/usr/bin/sieve-connect', '/usr/bin/swaks', '/usr/bin/python3']
  .filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('Postfix, Dovecot and Pigeonhole are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-mail-sieve.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

type Box = { id: string; address: string; password: string };

describe('out-of-office replies and Sieve filters on a real Postfix and Dovecot (Pigeonhole)', { skip: missing.length > 0 }, () => {
  let s: MailStack;
  let joe: Box;
  let ann: Box;

  /** Sends a message and waits until Dovecot has it and Postfix has sent whatever came of it (replies). */
  const deliver = async (from: string, to: Box, extra: string[] = [], rcpt = to.address) => {
    const count = await s.delivered(to.address);
    const r = await s.smtp(PORTS.smtp, from, rcpt, extra);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await until(`delivered to ${to.address}`, async () => (await s.delivered(to.address)) > count);
    await s.drained();
  };
  const repliesTo = (address: string) => s.sink.filter((m) => m.to.includes(address));
  const vacation = async (box: Box, body: Record<string, unknown>) => {
    const r = await s.m.api('PUT', `/api/v1/mailboxes/${box.id}/vacation`, body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await until('the mailbox live again', async () => {
      const p = (await s.m.api('GET', `/api/v1/mailboxes/${box.id}`)).body.provisioning;
      if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
      return p.status === 'live';
    });
  };

  before(async () => {
    s = await startMailStack({ tag: 'sieve', ports: PORTS, sink: SINK, uidMin: 66500, uidMax: 66599, prefix: 'asv' });
    joe = await s.mailbox('mail.a-sieve.example', 'joe');
    ann = await s.mailbox('mail.a-sieve.example', 'ann');
  });

  after(async () => {
    await s?.close();
  });

  const TEXT = 'Back on Monday. Quotes " and backslashes \\ stay text:\n"; discard; keep;\nrequire "fileinto"; fileinto "Trash";';
  const SUBJECT = 'Away: "; discard; \\ really';

  test('a sender gets the reply once, another sender gets it too; the text is sent literally and the mail still arrives', async () => {
    await vacation(joe, { enabled: true, subject: SUBJECT, message: TEXT });
    const script = path.join(mailPaths(s.root).sieveDir, s.hostings.a!.name, `${joe.id}.sieve`);
    const st = await stat(script);
    assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [0, s.hostings.a!.uid, 0o640], 'root\'s script, readable by the hosting only');
    assert.ok(existsSync(script.replace(/\.sieve$/, '.svbin')), 'compiled by sievec');
    await deliver('x@world.example', joe, ['--header', 'Subject: first from x']);
    assert.equal(repliesTo('x@world.example').length, 1, JSON.stringify(s.sink));
    const reply = repliesTo('x@world.example')[0]!;
    assert.equal(reply.from, '', 'a reply has a null sender: nothing answers it back');
    const text = reply.lines.join('\n');
    assert.ok(text.includes('Back on Monday. Quotes " and backslashes \\ stay text:\n"; discard; keep;\nrequire "fileinto"; fileinto "Trash";'), text);
    assert.match(text, /^Auto-Submitted: auto-replied/im);
    assert.match(text, /^Subject: .*Away: "; discard; \\ really/im);
    await deliver('x@world.example', joe, ['--header', 'Subject: second from x']);
    assert.equal(repliesTo('x@world.example').length, 1, 'the same sender gets the reply once per period');
    await deliver('y@world.example', joe, ['--header', 'Subject: from y']);
    assert.equal(repliesTo('y@world.example').length, 1);
    const inbox = await s.imap(joe.address, joe.password);
    for (const subject of ['first from x', 'second from x', 'from y']) assert.ok(inbox.messages?.some((m) => m.includes(`Subject: ${subject}`)), `${subject}: ${JSON.stringify(inbox)}`);
  });

  test('mail that came through an alias of the mailbox is answered too, once', async () => {
    const alias = await s.m.api('POST', '/api/v1/mail-domains/mail.a-sieve.example/aliases', { localPart: 'contact', destinations: [joe.address] });
    assert.equal(alias.status, 201, JSON.stringify(alias.body));
    await until('the alias live', async () => (await s.m.api('GET', `/api/v1/mail-aliases/${alias.body.id}`)).body.provisioning.status === 'live');
    await deliver('w@world.example', joe, [], 'contact@mail.a-sieve.example');
    await deliver('w@world.example', joe, [], 'contact@mail.a-sieve.example');
    assert.equal(repliesTo('w@world.example').length, 1, JSON.stringify(s.sink.map((m) => m.to)));
  });

  test('no reply to automatic replies, bounces, mailing lists or bulk mail', async () => {
    await deliver('auto@world.example', joe, ['--header', 'Auto-Submitted: auto-replied']);
    await deliver('MAILER-DAEMON@world.example', joe);
    await deliver('', joe, ['--header', 'Subject: a bounce']);
    await deliver('member@world.example', joe, ['--header', 'List-Id: <news.world.example>']);
    await deliver('bulk@world.example', joe, ['--header', 'Precedence: bulk']);
    for (const who of ['auto@world.example', 'MAILER-DAEMON@world.example', 'member@world.example', 'bulk@world.example']) assert.deepEqual(repliesTo(who), [], who);
    assert.ok(s.sink.every((m) => m.from === ''), 'nothing but null-sender replies left the server');
  });

  test('before its first day, or switched off, no reply is sent; off removes the script', async () => {
    await vacation(ann, { enabled: true, subject: 'Later', message: 'Not yet.', startsOn: '2999-01-01', endsOn: '2999-01-31' });
    await deliver('early@world.example', ann);
    assert.deepEqual(repliesTo('early@world.example'), []);
    await vacation(joe, { enabled: false, subject: SUBJECT, message: TEXT });
    assert.ok(!existsSync(path.join(mailPaths(s.root).sieveDir, s.hostings.a!.name, `${joe.id}.sieve`)));
    await deliver('z@world.example', joe);
    assert.deepEqual(repliesTo('z@world.example'), []);
    assert.equal((await s.m.api('GET', `/api/v1/mailboxes/${joe.id}/vacation`)).body.message, TEXT, 'switched off, the text is kept');
  });

  test('the replies listener takes only null-sender mail from loopback: it is no relay', async () => {
    const relay = await s.smtp(PORTS.replies, 'spammer@world.example', 'victim@world.example');
    assert.notEqual(relay.code, 0);
    assert.match(relay.stdout, /554 5\.7\.1 .*Sender address rejected/);
    await s.drained();
    assert.deepEqual(repliesTo('victim@world.example'), []);
  });

  test('ManageSieve: STARTTLS first; a script uploaded by the customer files matching mail into a folder, after Abri\'s reply', async () => {
    // without TLS the server offers no way to sign in (from another address: Dovecot trusts a client on its own address)
    const plain = await new Promise<string>((resolve, reject) => {
      let got = '';
      const c = net.connect({ port: PORTS.sieve, host: '127.0.0.1', localAddress: '127.0.0.2' });
      c.on('data', (d) => {
        got += d.toString();
        if (/^OK "Dovecot/m.test(got) && !got.includes('AUTHENTICATE')) (got += 'AUTHENTICATE\n', c.write(`AUTHENTICATE "PLAIN" "${Buffer.from(`\0${ann.address}\0${ann.password}`).toString('base64')}"\r\n`));
        else if (/^(NO|BYE)/m.test(got.slice(got.indexOf('AUTHENTICATE')))) (c.end(), resolve(got));
      });
      c.on('error', reject);
    });
    assert.match(plain, /"STARTTLS"/);
    assert.match(plain, /"SASL" ""/);
    assert.match(plain.slice(plain.indexOf('AUTHENTICATE')), /^NO/m);
    const file = path.join(s.root, 'filter.sieve');
    await writeFile(file, 'require ["fileinto", "mailbox"];\nif header :contains "subject" "[club]" { fileinto :create "Club"; stop; }\n');
    const sieve = (args: string[], password = ann.password) => run('sieve-connect', ['--server', '127.0.0.1', '--port', String(PORTS.sieve), '--user', ann.address, '--passwordfd', '0', '--notlsverify', ...args], `${password}\n`);
    const up = await sieve(['--upload', '--localsieve', file, '--remotesieve', 'club']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    const on = await sieve(['--activate', '--remotesieve', 'club']);
    assert.equal(on.code, 0, on.stdout + on.stderr);
    assert.notEqual((await sieve(['--list'], 'not-the-password')).code, 0, 'the mailbox password, nothing else');
    // the per-mailbox quota: a script over 64 KB is refused
    await writeFile(file, `# ${'x'.repeat(70_000)}\nkeep;\n`);
    const big = await sieve(['--upload', '--localsieve', file, '--remotesieve', 'big']);
    assert.notEqual(big.code, 0, big.stdout);
    // no Sieve action that sends mail elsewhere (forwards are aliases; rejects would be backscatter)
    await writeFile(file, 'require "reject";\nreject "go away";\n');
    assert.notEqual((await sieve(['--upload', '--localsieve', file, '--remotesieve', 'rejecting'])).code, 0, 'reject is not offered');

    // ann's out-of-office (not before 2999) and her filter both run: the club's mail lands in Club
    await vacation(ann, { enabled: true, subject: 'Away', message: 'Away now.' });
    await deliver('club@world.example', ann, ['--header', 'Subject: [club] meeting']);
    const club = await s.imap(ann.address, ann.password, 'Club');
    assert.ok(club.messages?.some((m) => m.includes('[club] meeting')), JSON.stringify(club));
    assert.ok(!(await s.imap(ann.address, ann.password)).messages?.some((m) => m.includes('[club] meeting')));
    assert.equal(repliesTo('club@world.example').length, 1, 'Abri\'s reply ran before her script');
    // her scripts live in her mailbox's home, as the hosting's uid
    const st = await stat(path.join(mailPaths(s.root).vmailDir, s.hostings.a!.name, ann.id, 'sieve', 'club.sieve'));
    assert.equal(st.uid, s.hostings.a!.uid);
    // a redirect is accepted as text but never sent: the message is kept instead
    await writeFile(file, 'redirect "elsewhere@world.example";\n');
    assert.equal((await sieve(['--upload', '--localsieve', file, '--remotesieve', 'redirecting'])).code, 0);
    assert.equal((await sieve(['--activate', '--remotesieve', 'redirecting'])).code, 0);
    await deliver('r@world.example', ann, ['--header', 'Subject: try to redirect me']);
    assert.deepEqual(repliesTo('elsewhere@world.example'), []);
    assert.ok((await s.imap(ann.address, ann.password)).messages?.some((m) => m.includes('try to redirect me')), 'kept in the INBOX');
  });
});
