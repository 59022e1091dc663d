// Integration (root, a real Postfix and Dovecot run by the mail server's agent on loopback ports
// 25550–25556, test/helpers/mail-node.ts): a mailbox filled past 90 % of its quota through SMTP
// receives the warning, sent by Abri's script (as a user of its own, not root; its socket reachable by Dovecot's
// mail processes only) through Abri's own Postfix and read over IMAP: in
// French when its customer's owners read French, in both languages when its customer has no owner
// whose language is known; once per crossing (a later message above the mark brings no second one).
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-mail-quota-warning.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seedHosting } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { expectStatus, missingMailTools, run, startMailNode, type MailNode } from './helpers/mail-node.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';

const missing = missingMailTools();
if (missing.length && process.env.CI === 'true') test('Postfix and Dovecot are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-mail-quota-warning.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const WARNING_EN = 'Your mailbox is 90% full';
const WARN_USER = 'abri-mailrest-qw'; // the warning's own user (uid and gid 68110)
const WARNING_FR = 'Votre boîte aux lettres est pleine à 90 %';
const decodeSubject = (message: string) => {
  const m = /^Subject: =\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/m.exec(message);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : null;
};

describe('the 90 % quota warning on a real Postfix and Dovecot', { skip: missing.length > 0 }, () => {
  let node: MailNode;
  const boxes: Record<string, { address: string; password: string }> = {};

  before(async () => {
    node = await startMailNode({ firstPort: 25550, hostname: 'mail.quota-warning.test', settings: { ABRI_HOSTING_PREFIX: 'aqw', ABRI_UID_MIN: '66900', ABRI_UID_MAX: '66949' },
      agentSettings: { ABRI_MAIL_WARN_USER: WARN_USER, ABRI_MAIL_WARN_UID: '68110' } });
    const { m } = node;
    for (const [k, customer, owner] of [['fr', 'Asso', 'anne@asso-fr.test'], ['both', 'Nobody', null]] as const) {
      const { hosting, customer: c } = await seedHosting(m, { customer, offer: { maxMailboxes: 4, mailMb: 20 } });
      if (owner) {
        const u = await m.user(owner);
        await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('id', '=', u.id).execute();
        expectStatus(await m.join(c.id, owner, 'owner'), 201);
      }
      expectStatus(await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: `mail.${k}-quota-warning.test` }), 201);
      const d = await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: `mail.${k}-quota-warning.test` });
      expectStatus(d, 201);
      const password = `pw-${k}-${Math.random().toString(36).slice(2)}`;
      const b = await m.api('POST', `/api/v1/mail-domains/${d.body.id}/mailboxes`, { localPart: 'full', quotaMb: 1, password });
      expectStatus(b, 201);
      boxes[k] = { address: b.body.address, password };
      await node.live('mailboxes', b.body.id);
    }
  });
  after(async () => {
    await node?.stop(); // Dovecot stopped first: nothing runs as the warning's user any more
    if ((await run('id', ['-u', WARN_USER])).code === 0) await run('userdel', [WARN_USER]);
  });

  /** Everything handed to Postfix is delivered: nothing waits in its maildrop or its queue. */
  const drained = () => until('Postfix\'s queue empty', async () => {
    const p = mailPaths(node.root);
    const maildrop = await readdir(path.join(p.queueDir, 'maildrop')).catch(() => ['?']);
    const q = await run('postqueue', ['-c', p.postfixDir, '-p']);
    return maildrop.length === 0 && /Mail queue is empty/.test(q.stdout);
  });

  const fill = async (k: string, bytes: number, tag: string) => {
    const file = path.join(node.root, `${tag}.txt`);
    await writeFile(file, `${tag}\n${Buffer.alloc(bytes, 7).toString('base64').replace(/.{76}/g, '$&\n')}`);
    const sent = await node.smtp('someone@elsewhere.example', boxes[k]!.address, ['--body', `@${file}`]);
    assert.equal(sent.code, 0, sent.stdout);
    return until(`${tag} in ${boxes[k]!.address}`, async () => {
      const r = await node.inbox(boxes[k]!.address, boxes[k]!.password);
      return r.messages?.some((b) => b.includes(tag)) ? r.messages : undefined;
    });
  };
  const warnings = async (k: string) => ((await node.inbox(boxes[k]!.address, boxes[k]!.password)).messages ?? []).filter((msg) => /^Auto-Submitted: auto-generated$/m.test(msg));

  test('under 90 %, no warning; past 90 %, the warning arrives in the customer\'s language, once', async () => {
    // about 490 KB of a 1 MB mailbox: under the mark
    await fill('fr', 360_000, 'first-half');
    await drained();
    assert.deepEqual(await warnings('fr'), []);
    // about 980 KB: past 90 %
    await fill('fr', 370_000, 'over-the-mark');
    const [warning] = await until('the warning in the mailbox', async () => {
      const w = await warnings('fr');
      return w.length ? w : undefined;
    });
    assert.equal(decodeSubject(warning!), WARNING_FR);
    assert.match(warning!, /Votre boîte aux lettres full@mail\.fr-quota-warning\.test occupe 90 %/);
    assert.doesNotMatch(warning!, /Your mailbox/);
    assert.match(warning!, /^Return-Path: <>$/m);
    // a small message still above the mark: no second warning
    await fill('fr', 1000, 'still-above');
    await drained();
    assert.equal((await warnings('fr')).length, 1);
  });

  test('the warning runs as its own user, not root; its socket is for Dovecot\'s mail processes only', async () => {
    const p = mailPaths(node.root);
    const conf = (await run('doveconf', ['-c', path.join(p.dovecotDir, 'dovecot.conf'), '-n'])).stdout;
    const service = /^service quota-warning \{\n([\s\S]*?)\n\}$/m.exec(conf)?.[1] ?? '';
    assert.match(service, /^ {2}user = abri-mailrest-qw$/m, conf);
    assert.match(conf, /^mail_access_groups = abri-mailrest-qw$/m);
    assert.equal((await run('id', ['-u', WARN_USER])).stdout.trim(), '68110');
    const socket = path.join(p.baseDir, 'quota-warning');
    assert.equal((await run('stat', ['-c', '%a %G', socket])).stdout.trim(), `660 ${WARN_USER}`);
    // a local user outside the group cannot ask for warnings; the script and its table are not theirs to read
    const connect = 'import socket,sys\ntry:\n  socket.socket(socket.AF_UNIX).connect(sys.argv[1]); print("connected")\nexcept PermissionError: print("refused")';
    assert.equal((await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/python3', '-c', connect, socket])).stdout.trim(), 'refused');
    assert.equal((await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'cat', path.join(node.root, 'etc/abri/mail-warn/quota-warning-locales')])).code !== 0, true);
    assert.equal((await run('stat', ['-c', '%a %U %G', path.join(node.root, 'etc/abri/mail-warn')])).stdout.trim(), `2750 root ${WARN_USER}`);
  });

  test('a customer with no owner of known language gets both languages', async () => {
    await fill('both', 730_000, 'at-once-past-the-mark');
    const [warning] = await until('the warning in the mailbox', async () => {
      const w = await warnings('both');
      return w.length ? w : undefined;
    });
    assert.equal(decodeSubject(warning!), `${WARNING_FR} / ${WARNING_EN}`);
    assert.match(warning!, /Votre boîte aux lettres full@mail\.both-quota-warning\.test/);
    assert.match(warning!, /Your mailbox full@mail\.both-quota-warning\.test uses 90% of its space/);
  });

  test('by default, Dovecot keeps its slow-down of refused sign-ins (the other mail tests turn it off: ABRI_MAIL_LOGIN_DELAY=none)', async () => {
    const conf = path.join(mailPaths(node.root).dovecotDir, 'dovecot.conf');
    const delay = await run('doveconf', ['-c', conf, '-h', 'auth_failure_delay']);
    assert.equal(delay.stdout.trim(), '2 secs', delay.stderr);
    // the per-address penalty (4, 8, up to 15 s): anvil's listener open to the auth process
    const all = (await run('doveconf', ['-c', conf, '-a'])).stdout;
    assert.match(all, /unix_listener anvil-auth-penalty \{[^}]*mode = 0600/);
  });
});
