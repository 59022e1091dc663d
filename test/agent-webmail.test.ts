// Integration (root, real services) and browser: the webmail as the agents install it and the edge
// routes it. The manager's local agent holds the edge, web and mail roles: Abri's own Postfix and
// Dovecot on loopback ports 25400–25408 (never the machine's 25 or 143), and Debian's Roundcube in
// its own PHP-FPM master and Apache instance as abt-webmail (uid 66699); HAProxy sends the webmail's
// name there. In Chromium, through the edge at the webmail's name: a message delivered through the
// SMTP port is shown after signing in; a wrong password and an address of no mail domain here are
// refused; mailbox B never sees A's mail. The webmail's name answers nothing else and a customer's
// site name is not the webmail; Roundcube's config and database are unreadable by hostings and the
// web server. Roundcube believes X-Forwarded-For/-Proto from the edge's addresses only (the client's
// address in its session, a Secure session cookie behind HTTPS). The Mail tab links to the webmail (English and French).
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-webmail.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { live } from './helpers/site-stack.js';
import { browserTest, launchBrowser, logIn, openPage, settled } from './helpers/browser.js';
import { freePort } from './harness/services.js';
import { run } from './harness/run.js';
import { adminerGet as get } from './helpers/dbadmin.js';
import { desKeyFile, WebmailDriver, webmailNodeSpec } from '../src/mail/apply-webmail.js';
import { buildDesiredState } from '../src/agent/store.js';
import { livePid } from '../src/platform/pid-file.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';
import { MailDriver } from '../src/mail/apply-mail.js';
import { LocalExecutor } from '../src/platform/executor.js';
import pino from 'pino';
import { nodeLayout } from '../src/node/layout.js';

const USER = 'abt-webmail';
const UID = 66699;
const WEBMAIL = 'webmail.localhost'; // Chromium resolves *.localhost to the loopback by itself
const PORTS = { smtp: 25400, submission: 25401, smtps: 25402, imap: 25403, imaps: 25404, pop3: 25405, pop3s: 25406, sieve: 25407, replies: 25408 };
const needs = ['/var/lib/roundcube/public_html/index.php', '/usr/share/roundcube/SQL/sqlite.initial.sql', '/usr/bin/sqlite3', '/usr/lib/php/20220829/pdo_sqlite.so',
  '/usr/sbin/postfix', '/usr/sbin/dovecot', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/lmtp', '/usr/bin/swaks'];
const missing = [...requireNodeServices('agent-webmail', test), ...needs.filter((f) => !existsSync(f)), ...(browserTest().skip ? ['chromium'] : [])];
if (missing.length && process.env.CI === 'true') test('Roundcube, Postfix, Dovecot, Apache, PHP-FPM, HAProxy and Chromium are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-webmail.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const swaks = (to: string, subject: string, body: string) => new Promise<{ code: number; out: string }>((resolve) => {
  execFile('swaks', ['--server', '127.0.0.1', '--port', String(PORTS.smtp), '--helo', 'client.abri.test', '--timeout', '30', '--from', 'someone@elsewhere.example', '--to', to,
    '--header', `Subject: ${subject}`, '--body', body], { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
});

async function removeUser() {
  if ((await run('id', ['-u', USER], { allowFailure: true })).code === 0) await run('userdel', [USER]);
}

describe('the webmail, installed by the agent and routed by the edge', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  let browser: Browser;
  const boxes: Record<string, { address: string; password: string }> = {};
  let hostingUser: string;
  let siteDomain: string;
  const url = () => `http://${WEBMAIL}:${node.edgePort}/`;

  before(async () => {
    await removeUser();
    node = await createTestNode(66600, 100); // the webmail's user (66699) is in its range: the cleanup stops its processes too
    await chmod(node.root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
    m = await startTestManager({ settings: {
      ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_RECONCILE_SECONDS: '1',
      ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_PORTS: Object.entries(PORTS).map(([k, v]) => `${k}=${v}`).join(','), ABRI_MAIL_HOSTNAME: 'mail.abri.test', ABRI_MAIL_LOGIN_DELAY: 'none',
      ABRI_WEBMAIL_NAME: WEBMAIL, ABRI_WEBMAIL_LISTEN: `127.0.0.1:${await freePort()}`, ABRI_WEBMAIL_USER: USER, ABRI_WEBMAIL_UID: String(UID),
    } });
    const local = (await m.api('GET', '/api/v1/servers')).body.items[0];
    assert.equal((await m.api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'mail'] })).status, 200);
    for (const [k, customer] of [['a', 'Alpha'], ['b', 'Bravo']] as const) {
      const { hosting, customer: c } = await seedHosting(m, { customer, offer: { maxMailboxes: 2, mailMb: 20 } });
      const owner = `owner@${k}.test`;
      await m.user(owner);
      assert.equal((await m.join(c.id, owner, 'owner')).status, 201);
      const domain = `${k}-shop.test`;
      const site = await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain });
      assert.equal(site.status, 201, JSON.stringify(site.body));
      assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: domain })).status, 201);
      const password = `pw-${k}-${Math.random().toString(36).slice(2)}`;
      const box = await m.api('POST', `/api/v1/mail-domains/${domain}/mailboxes`, { localPart: 'joe', quotaMb: 5, password });
      assert.equal(box.status, 201, JSON.stringify(box.body));
      boxes[k] = { address: box.body.address, password };
      await live(m, `/api/v1/sites/${site.body.id}`);
      await live(m, `/api/v1/mailboxes/${box.body.id}`);
      if (k === 'a') [hostingUser, siteDomain] = [hosting.name, domain];
    }
    await until('the webmail served through the edge', async () => {
      const r = await get(node.edgePort, WEBMAIL, '/').catch(() => null);
      if (r?.status === 200 && r.body.includes('rcmloginuser')) return true;
      const { lastError } = (await m.api('GET', `/api/v1/servers/${local.id}`)).body;
      const spec = webmailNodeSpec(m.manager.app.config.node, nodeLayout(node.root));
      const logs = await Promise.all([path.join(spec.logDir, 'errors.log'), path.join(spec.logDir, 'php.log'), spec.fpm.errorLog, path.join(spec.apache.logDir, 'error.log')]
        .map(async (f) => `${f}: ${(await readFile(f, 'utf8').catch(() => '')).slice(-600)}`));
      throw new Error(`${r?.status} ${r?.body.slice(0, 300)} (server: ${lastError}) ${logs.join('\n')}`);
    }, 120_000);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    const serverId = m ? (await m.api('GET', '/api/v1/servers')).body.items[0]?.id : null;
    await m?.close();
    // the mail driver's own code stops Postfix and Dovecot (the node's cleanup knows neither): no mail domain is wanted any more
    if (m && node) {
      await new MailDriver(new LocalExecutor(), m.manager.app.config.node, nodeLayout(node.root), pino({ level: 'silent' }))
        .reconcile({ revision: 0, server: { id: serverId, name: 'local', roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } })
        .catch((e: unknown) => console.error(e));
    }
    await node?.cleanup();
    await removeUser();
  });

  /** Signs in to Roundcube in a fresh page; the page, and the error Roundcube shows if any. */
  async function signIn(address: string, password: string): Promise<{ page: Page; error: string | null }> {
    const { page } = await openPage(browser, { locale: 'en-GB' });
    await page.goto(url());
    await page.locator('#rcmloginuser').fill(address);
    await page.locator('#rcmloginpwd').fill(password);
    await page.locator('#rcmloginsubmit').click();
    // signed in (the message list), or Roundcube's message saying why not
    await page.locator('#messagelist, #messagestack > div').first().waitFor({ timeout: 60_000 });
    if (await page.locator('#messagelist').count()) return { page, error: null };
    return { page, error: await page.locator('#messagestack > div').first().innerText() };
  }

  test('installed by the agent: its own user, a config and a database only that user (and root) can read', async () => {
    const spec = webmailNodeSpec(m.manager.app.config.node, nodeLayout(node.root));
    const config = await stat(path.join(spec.configDir, 'config.inc.php'));
    assert.deepEqual([config.mode & 0o777, config.uid], [0o640, 0]);
    assert.equal(Number((await run('id', ['-u', USER])).stdout.trim()), UID);
    assert.equal(config.gid, Number((await run('id', ['-g', USER])).stdout.trim()));
    const db = await stat(path.join(spec.dbDir, 'roundcube.db'));
    assert.deepEqual([db.uid, db.mode & 0o777], [UID, 0o600]);
    for (const who of ['www-data', hostingUser]) {
      for (const file of [path.join(spec.configDir, 'config.inc.php'), path.join(spec.dbDir, 'roundcube.db'), desKeyFile(nodeLayout(node.root))]) {
        const read = await run('runuser', ['-u', who, '--', 'cat', file], { allowFailure: true });
        assert.notEqual(read.code, 0, `${who} cannot read ${file}`);
      }
    }
    // the des_key is made once and kept: the config carries the same one
    const key = (await readFile(desKeyFile(nodeLayout(node.root)), 'utf8')).trim();
    assert.match(await readFile(path.join(spec.configDir, 'config.inc.php'), 'utf8'), new RegExp(`des_key'\\] = '${key.replace(/[+/]/g, '\\$&')}'`));
  });

  test('a message delivered to a mailbox is read in Chromium through the edge; mailbox B never sees it', async () => {
    for (const [to, subject] of [[boxes.a!.address, 'Hello from the world'], [boxes.b!.address, 'For Bravo only']] as const) {
      const sent = await swaks(to, subject, `${subject}, read in the webmail`);
      const diag = sent.code ? (await run('sh', ['-c', `ps -eo pid,user,stat,args | grep -E 'smtpd|postfix/|master' | grep -v grep; ss -ltnp | grep 2540`], { allowFailure: true })).stdout : '';
      assert.equal(sent.code, 0, `${diag}\n${sent.out}\n${(await readFile(mailPaths(node.root).postfixLog, 'utf8').catch(() => '')).split('\n').filter((l) => !l.includes('postfix-script')).slice(-30).join('\n')}`);
    }
    const a = await signIn(boxes.a!.address, boxes.a!.password);
    assert.equal(a.error, null, 'signed in');
    assert.equal(new URL(a.page.url()).host, `${WEBMAIL}:${node.edgePort}`, 'through the edge, at the webmail\'s name');
    await until('the message in the list', async () => {
      if (await a.page.getByText('Hello from the world').first().isVisible()) return true;
      await a.page.locator('a.refresh, #rcmbtn_refresh, [data-command="checkmail"]').first().click().catch(() => undefined);
      return false;
    }, 60_000);
    assert.ok(!(await a.page.content()).includes('For Bravo only'), 'not Bravo\'s mail');
    await a.page.close();
    const b = await signIn(boxes.b!.address, boxes.b!.password);
    assert.equal(b.error, null);
    await b.page.getByText('For Bravo only').first().waitFor({ timeout: 60_000 });
    assert.ok(!(await b.page.content()).includes('Hello from the world'), 'B never sees A\'s mail');
    await b.page.close();
  });

  test('a wrong password, another mailbox\'s password and an address of no mail domain here are refused', async () => {
    for (const [address, password] of [[boxes.a!.address, 'not-the-password'], [boxes.a!.address, boxes.b!.password], ['joe@elsewhere.example', boxes.a!.password], ['joe', boxes.a!.password]] as const) {
      const r = await signIn(address, password);
      assert.notEqual(r.error, null, `${address} refused`);
      if (!address.endsWith('-shop.test')) assert.match(r.error!, /full address of a mailbox of this platform/, 'refused by Abri\'s plugin before any server is tried');
      assert.equal(await r.page.locator('#messagelist').count(), 0);
      await r.page.close();
    }
  });

  test('Roundcube believes the forwarded headers of the edge only: the client\'s address in its session, a Secure cookie over HTTPS', async () => {
    const spec = webmailNodeSpec(m.manager.app.config.node, nodeLayout(node.root));
    const jar = path.join(node.root, `webmail-jar-${Math.random().toString(36).slice(2)}`);
    // straight to the webmail's Apache, as the edge (HAProxy on this server: the loopback) or as another address of this machine
    const curl = (from: string, headers: string[], extra: string[] = []) => run('curl', ['-s', '--interface', from, '-c', jar, '-b', jar, '-D', '-', '-o', '/dev/null',
      '-H', `Host: ${WEBMAIL}`, ...headers.flatMap((h) => ['-H', h]), ...extra, `http://127.0.0.1:${spec.apache.listenPort}/`], { allowFailure: true });
    const sessionCookie = async (from: string, proto: string) => {
      await rm(jar, { force: true });
      return (await curl(from, [`X-Forwarded-Proto: ${proto}`])).stdout.split('\n').find((l) => /^set-cookie: roundcube_sessid=/i.test(l)) ?? '';
    };
    assert.match(await sessionCookie('127.0.0.1', 'https'), /;\s*secure/i, 'HTTPS at the edge: a Secure cookie');
    assert.doesNotMatch(await sessionCookie('127.0.0.1', 'http'), /;\s*secure/i);
    assert.doesNotMatch(await sessionCookie('127.0.0.2', 'https'), /;\s*secure/i, 'not the edge: its header is not believed');
    // the session records the client's address (what its checks and logs use): the one the edge forwarded, else the caller's own
    const sessionIp = async (from: string, forwarded: string) => {
      await rm(jar, { force: true });
      await curl(from, [`X-Forwarded-For: ${forwarded}`]);
      const id = (await readFile(jar, 'utf8')).split('\n').map((l) => l.split('\t')).find((f) => f[5] === 'roundcube_sessid')?.[6];
      assert.ok(id, 'a session was started');
      // PHP writes the session as the request ends
      return until('the session stored', async () => (await run('sqlite3', [path.join(spec.dbDir, 'roundcube.db'), `SELECT ip FROM session WHERE sess_id = '${id.replace(/[^A-Za-z0-9,-]/g, '')}'`])).stdout.trim(), 30_000);
    };
    assert.equal(await sessionIp('127.0.0.1', '198.51.100.1, 203.0.113.7'), '203.0.113.7', 'the address the edge added, not what the client claimed before it');
    assert.equal(await sessionIp('127.0.0.2', '203.0.113.7'), '127.0.0.2');
  });

  test('the webmail\'s name answers nothing but Roundcube; a customer\'s site name is not the webmail', async () => {
    for (const p of ['/config/config.inc.php', '/index.php', '/program/include/iniset.php', '/plugins/abri_webmail/abri_webmail.php', '/.htaccess', '/SQL/sqlite.initial.sql', '/logs/errors.log']) {
      const r = await get(node.edgePort, WEBMAIL, p);
      assert.ok(r.status === 403 || r.status === 404, `${p}: ${r.status}`);
      assert.doesNotMatch(r.body, /<\?php|des_key|abri_webmail_servers/, p);
    }
    const site = await get(node.edgePort, siteDomain, '/');
    assert.doesNotMatch(site.body, /rcmloginuser|Roundcube/i, 'a site\'s name never reaches the webmail');
  });

  test('the Mail tab links to the webmail, in English and in French', async () => {
    const { page } = await openPage(browser, { locale: 'en-GB' });
    await logIn(page, m.url, 'owner@a.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${hostingUser}/mail`);
    await settled(page);
    const link = page.getByTestId('webmail-link');
    assert.equal(await link.getAttribute('href'), `https://${WEBMAIL}/`);
    await page.getByText('Webmail', { exact: true }).first().waitFor();
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.getByText('Messagerie web', { exact: true }).first().waitFor();
    await page.close();
  });

  test('not asked for any more, it stops and its configs go (its database and key stay); asked again, it serves again', async () => {
    await m.manager.agent?.stop(); // from here on this test applies by hand
    m.manager.agent = null;
    const config = m.manager.app.config;
    const layout = nodeLayout(node.root);
    const state = await buildDesiredState(m.manager.app.db, config, (await m.api('GET', '/api/v1/servers')).body.items[0].id);
    assert.deepEqual(state.webmail?.domains.map((d) => d.name), ['a-shop.test', 'b-shop.test']);
    const driver = new WebmailDriver(new LocalExecutor(), config.node, layout, pino({ level: 'silent' }));
    const spec = webmailNodeSpec(config.node, layout);
    const key = await readFile(desKeyFile(layout), 'utf8');
    const served = async () => (await get(node.edgePort, WEBMAIL, '/').catch(() => null))?.body.includes('rcmloginuser') ?? false;
    const { webmail: _, ...without } = state;
    assert.deepEqual(await driver.reconcile(without), { objects: [] });
    assert.equal(await livePid(spec.fpm.pidFile), null);
    assert.equal(await livePid(path.join(spec.apache.runDir, 'apache2.pid')), null);
    for (const gone of [spec.configDir, spec.apache.configDir, spec.fpm.configDir]) assert.ok(!existsSync(gone), gone);
    assert.ok(existsSync(path.join(spec.dbDir, 'roundcube.db')), 'the database stays');
    assert.ok(!(await served()));
    assert.deepEqual(await driver.reconcile(state), { objects: [] });
    await until('served again', served);
    assert.equal(await readFile(desKeyFile(layout), 'utf8'), key, 'with the same des_key');
  });
});
