// The `abri` command as people use it: the built CLI (bin/abri.js) spawned as a child process,
// against a real manager (API commands) or a fresh data directory (bootstrap and serve).
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import { seedHosting, startTestManager, type TestManager } from './helpers/manager.js';

const bin = fileURLToPath(new URL('../bin/abri.js', import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'abri-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string; ms: number }

/** Runs `abri ARGS` with a clean environment (no config file, no saved token) plus `env`. */
function abri(args: string[], env: Record<string, string> = {}, opts: { input?: string; timeoutMs?: number } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, XDG_CONFIG_HOME: path.join(scratch, 'xdg'), ABRI_CONFIG: path.join(scratch, 'none.conf'), ABRI_LOG_LEVEL: 'warn', ...env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`abri ${args.join(' ')} hung (no exit after ${opts.timeoutMs ?? 180_000} ms)\n${stderr}`));
    }, opts.timeoutMs ?? 180_000); // a hang detector on a loaded machine, not a speed check (speed is npm run bench)
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Asserts a command failed with exactly one `abri: …` line on stderr, and returns that line. */
function oneLineError(r: Run, code = 1): string {
  assert.equal(r.code, code, `expected exit ${code}; stdout: ${r.stdout}; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^abri: /);
  return lines[0];
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('staff commands over the API', () => {
  let m: TestManager;
  let env: Record<string, string>;
  /** runs a command that must succeed and returns its parsed --json output */
  const json = async (...args: string[]) => {
    const r = await abri(['--json', ...args], env);
    assert.equal(r.code, 0, `abri ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    return JSON.parse(r.stdout);
  };
  const run = async (...args: string[]) => {
    const r = await abri(args, env);
    assert.equal(r.code, 0, `abri ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    m = await startTestManager();
    env = { ABRI_API_URL: m.url, ABRI_TOKEN: m.adminToken };
  });
  after(() => m?.close());

  let hostingName = '';

  it('runs the staff flow: customer add → offer add → hosting add → site add → site list', async () => {
    const customer = await json('customer', 'add', '--name', 'Les Jardins Partagés', '--email', 'contact@jardins.test', '--address', '1 rue des Lilas\n75000 Paris');
    assert.equal(customer.name, 'Les Jardins Partagés');
    assert.equal(customer.postalAddress, '1 rue des Lilas\n75000 Paris');
    assert.equal(customer.status, 'active');

    const offer = await json('offer', 'add', '--name', 'Starter', '--price', '4.99');
    assert.equal(offer.priceCents, 499);
    assert.equal(offer.billingCycle, 'monthly');
    assert.equal(offer.sshAllowed, false);
    assert.equal(offer.tlsAllowed, true);
    assert.deepEqual(offer.phpVersions, ['8.2']);
    assert.equal(offer.maxSites, 1);

    const hosting = await json('hosting', 'add', '--customer', String(customer.number), '--offer', 'starter');
    assert.match(hosting.name, /^h\d+$/);
    assert.equal(hosting.customerId, customer.id);
    assert.equal(hosting.offerName, 'Starter');
    hostingName = hosting.name;

    const added = await run('site', 'add', '--hosting', hostingName, 'example.org', '--alias', 'www.example.org');
    assert.match(added, new RegExp(`^site example\\.org added to hosting ${hostingName}\\n`));
    assert.match(added, /^aliases\s+www\.example\.org$/m);

    const table = await run('site', 'list', '--hosting', hostingName);
    assert.match(table, /^domain\s+aliases\s+documentRoot/);
    assert.match(table, /^example\.org\s+www\.example\.org\s+example\.org\s+8\.2\s+redirect\s+active$/m);
    assert.match(table, /\(1 of 1\)/);

    // --json works after the subcommand too
    const r = await abri(['site', 'list', '--hosting', hostingName, '--json'], env);
    const page = JSON.parse(r.stdout);
    assert.equal(page.total, 1);
    assert.equal(page.items[0].domain, 'example.org');
    assert.deepEqual(page.items[0].aliases, ['www.example.org']);
  });

  it('shows and lists every kind of object as JSON', async () => {
    const site = await json('site', 'show', 'example.org');
    assert.equal(site.hostingName, hostingName);
    const hosting = await json('hosting', 'show', hostingName);
    assert.equal(hosting.usage.sites.used, 1);
    const customer = await json('customer', 'show', String(hosting.customerNumber));
    assert.equal(customer.id, hosting.customerId);
    assert.equal((await json('offer', 'show', 'Starter')).id, hosting.offerId);
    const mine = await json('hosting', 'list', '--customer', String(hosting.customerNumber));
    assert.deepEqual(mine.items.map((h: { name: string }) => h.name), [hostingName]);
    assert.equal((await json('customer', 'list', '--q', 'jardins')).total, 1);
    assert.ok((await json('offer', 'list')).items.some((o: { name: string }) => o.name === 'Starter'));
    assert.ok((await json('user', 'list')).items.some((u: { email: string }) => u.email === 'admin@abri.test'));
    const table = await run('hosting', 'list');
    assert.match(table, new RegExp(`^${hostingName}\\s+\\d+\\s+Les Jardins Partagés\\s+Starter\\s+active\\s+8\\.2\\s+1/1$`, 'm'));
  });

  it('shows an object for people: nested objects indented under their key, never raw JSON', async () => {
    const out = await run('hosting', 'show', hostingName);
    assert.match(out, /^usage\n {2}sites\n {4}used {2}1\n {4}max {3}1$/m);
    assert.doesNotMatch(out, /[{}]/);
    const offer = await run('offer', 'show', 'Starter');
    assert.match(offer, /^phpVersions\s+8\.2$/m);
    assert.match(await run('offer', 'add', '--help'), /--max-sites <n>\s+sites per hosting \(default 1\)/);
  });

  it('fails with one line naming the error code: duplicate domain, quota, unknown object', async () => {
    const other = await seedHosting(m, { customer: 'Autre Asso' });
    const taken = oneLineError(await abri(['site', 'add', '--hosting', other.hosting.name, 'example.org'], env));
    assert.equal(taken, 'abri: example.org is already used by a site on this platform (site.domain_taken)', 'said once');
    const quota = oneLineError(await abri(['site', 'add', '--hosting', hostingName, 'second.example.org'], env));
    assert.match(quota, /quota\.sites_exceeded/);
    const missing = oneLineError(await abri(['--json', 'hosting', 'show', 'h999'], env));
    assert.match(missing, /hosting\.not_found|not_found/);
    const invalid = oneLineError(await abri(['customer', 'add', '--name', 'X', '--email', 'not-an-email'], env));
    assert.match(invalid, /^abri: invalid input: contactEmail: must be an email address \(request\.validation\)$/);
    const fields = oneLineError(await abri(['offer', 'add', '--name', ' ', '--price', '1', '--php', '8.2,x'], env));
    assert.equal(fields, 'abri: invalid input: name: must not be empty; phpVersions.1: must be a PHP version like 8.2 (request.validation)', 'every field, readable');
    const nothing = oneLineError(await abri(['customer', 'edit', '1'], env), 2);
    assert.match(nothing, /nothing to change/);
  });

  it('reports usage errors, a missing token and an unreachable manager in one line', async () => {
    assert.match(oneLineError(await abri(['offer', 'add', '--name', 'X', '--price', 'cheap'], env), 2), /--price.*must be an amount/);
    assert.match(oneLineError(await abri(['hosting', 'list', '--limit', 'ten'], env), 2), /--limit.*whole number/);
    assert.match(oneLineError(await abri(['site', 'list'], env), 2), /--hosting/);
    assert.match(oneLineError(await abri(['customer', 'list'], { ABRI_API_URL: m.url })), /no API token/);
    const closed = `http://127.0.0.1:${await freePort()}`;
    assert.match(oneLineError(await abri(['customer', 'list'], { ABRI_API_URL: closed, ABRI_TOKEN: 'abri_x' })), /cannot reach the manager .*abri serve/);
    assert.match(oneLineError(await abri(['customer', 'list'], { ABRI_API_URL: m.url, ABRI_TOKEN: 'abri_wrong' })), /auth\./);
  });

  it('pages lists with --q, --sort, --limit and --cursor', async () => {
    for (const n of ['Pager A', 'Pager B', 'Pager C']) await m.api('POST', '/api/v1/customers', { name: n, contactEmail: 'p@pager.test' });
    const first = await json('customer', 'list', '--q', 'pager', '--sort', '-name', '--limit', '2');
    assert.equal(first.total, 3);
    assert.deepEqual(first.items.map((c: { name: string }) => c.name), ['Pager C', 'Pager B']);
    assert.ok(first.nextCursor);
    const table = await run('customer', 'list', '--q', 'pager', '--sort', '-name', '--limit', '2');
    assert.match(table, new RegExp(`\\(2 of 3; more with --cursor ${first.nextCursor}\\)`));
    const second = await json('customer', 'list', '--q', 'pager', '--sort', '-name', '--limit', '2', '--cursor', first.nextCursor);
    assert.deepEqual(second.items.map((c: { name: string }) => c.name), ['Pager A']);
    assert.equal(second.nextCursor, null);
  });

  it('edits customers and manages who has access to them', async () => {
    const c = (await m.api('POST', '/api/v1/customers', { name: 'Club', contactEmail: 'club@club.test' })).body;
    const edited = await json('customer', 'edit', String(c.number), '--name', 'Club Photo', '--status', 'suspended');
    assert.equal(edited.name, 'Club Photo');
    assert.equal(edited.status, 'suspended');

    // invitations: a link to send, listed, sent again, revoked
    const invite = await run('customer', 'invite', String(c.number), '--email', 'president@club.test', '--role', 'owner');
    assert.match(invite, /invitation for president@club\.test to act for customer \d+ as owner; send them this link/);
    assert.match(invite, /^http:\/\/\S+\/invitation#\S+$/m);
    const second = await json('customer', 'invite', String(c.number), '--email', 'tresorier@club.test');
    assert.equal(second.role, 'manager');
    assert.equal(second.pending, undefined);
    assert.match(second.invitationUrl, /\/invitation#/);
    const waiting = await json('customer', 'invitations', String(c.number));
    assert.deepEqual(waiting.items.map((i: { email: string }) => i.email), ['president@club.test', 'tresorier@club.test']);
    const again = await json('customer', 'reinvite', String(c.number), 'tresorier@club.test');
    assert.notEqual(again.invitationUrl, second.invitationUrl);
    assert.match(await run('customer', 'uninvite', String(c.number), second.id), /revoked/);
    assert.match(oneLineError(await abri(['customer', 'uninvite', String(c.number), 'tresorier@club.test'], env)), /no waiting invitation/);
    const link = invite.match(/#(\S+)$/m)![1];
    assert.equal((await m.api('POST', '/api/v1/auth/accept-invitation', { token: link, password: 'president password' }, { token: null })).status, 200);

    // existing accounts join by accepting their invitation, logged in as themselves
    for (const email of ['secretaire@club.test', 'membre@club.test']) await m.user(email);
    const third = (await m.join(c.id, 'secretaire@club.test', 'readonly')).body;
    const fourth = (await m.join(c.id, 'membre@club.test', 'readonly')).body;

    const access = await json('customer', 'access', String(c.number));
    assert.deepEqual(access.items.map((d: { email: string }) => d.email).sort(), ['membre@club.test', 'president@club.test', 'secretaire@club.test']);
    assert.match(await run('customer', 'revoke', String(c.number), 'secretaire@club.test'), /secretaire@club\.test no longer has access/);
    await run('customer', 'revoke', String(c.number), fourth.userId);
    const gone = oneLineError(await abri(['customer', 'revoke', String(c.number), third.id], env));
    assert.match(gone, /delegation\.not_found/);
    assert.match(oneLineError(await abri(['customer', 'revoke', String(c.number), 'secretaire@club.test'], env)), /no access/);
    assert.deepEqual((await json('customer', 'access', String(c.number))).items.map((d: { email: string }) => d.email), ['president@club.test']);

    const empty = (await m.api('POST', '/api/v1/customers', { name: 'Éphémère', contactEmail: 'e@e.test' })).body;
    assert.match(await run('customer', 'remove', String(empty.number)), /customer \d+ "Éphémère" removed/);
    assert.equal((await m.api('GET', `/api/v1/customers/${empty.id}`)).status, 404);
  });

  it('suspends, unsuspends and terminates hostings, refusing to terminate without --yes', async () => {
    const { hosting } = await seedHosting(m, { customer: 'Fermeture' });
    await m.api('POST', `/api/v1/hostings/${hosting.name}/sites`, { domain: 'bientot-ferme.test' });
    await m.api('POST', `/api/v1/hostings/${hosting.name}/sites`, { domain: 'encore.test' });

    assert.equal((await json('hosting', 'suspend', hosting.name)).status, 'suspended');
    assert.match(await run('hosting', 'unsuspend', hosting.name), new RegExp(`hosting ${hosting.name} is now active`));

    const refusal = oneLineError(await abri(['hosting', 'terminate', hosting.name], env), 2);
    assert.match(refusal, /cannot be undone/);
    assert.match(refusal, /2 site\(s\) \(bientot-ferme\.test, encore\.test\)/);
    assert.match(refusal, /--yes/);
    assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.name}`)).body.status, 'active');

    const terminated = await json('hosting', 'terminate', hosting.name, '--yes');
    assert.equal(terminated.status, 'terminated');
    assert.equal((await json('site', 'list', '--hosting', hosting.name)).total, 0);
  });

  it('edits sites and offers', async () => {
    const { hosting } = await seedHosting(m, { customer: 'Sites', offer: { phpVersions: ['8.2'] } });
    await json('site', 'add', '--hosting', hosting.name, 'blog.test', '--root', 'blog/public', '--https', 'redirect');
    const a = await json('site', 'edit', 'blog.test', '--add-alias', 'www.blog.test,old.blog.test', '--https', 'https-only');
    assert.deepEqual(a.aliases, ['www.blog.test', 'old.blog.test']);
    assert.equal(a.httpsMode, 'https-only');
    assert.equal(a.documentRoot, 'blog/public');
    const b = await json('site', 'edit', 'blog.test', '--remove-alias', 'old.blog.test', '--status', 'disabled');
    assert.deepEqual(b.aliases, ['www.blog.test']);
    assert.equal(b.status, 'disabled');
    assert.match(await run('site', 'remove', 'blog.test'), /site blog\.test removed/);
    assert.equal((await m.api('GET', '/api/v1/sites/blog.test')).status, 404);

    const offer = await json('offer', 'add', '--name', 'Pro', '--price', '12,50', '--cycle', 'yearly', '--max-sites', '10', '--ssh', '--no-tls', '--disk-mb', '5000', '--php-memory-mb', '512');
    assert.deepEqual([offer.priceCents, offer.billingCycle, offer.maxSites, offer.sshAllowed, offer.tlsAllowed, offer.diskMb, offer.phpMemoryMb], [1250, 'yearly', 10, true, false, 5000, 512]);
    const edited = await json('offer', 'edit', 'Pro', '--price', '15', '--archived');
    assert.deepEqual([edited.priceCents, edited.archived, edited.maxSites], [1500, true, 10]);
    assert.match(await run('offer', 'list', '--q', 'pro'), /^Pro\s+15\.00 EUR\s+yearly/m);
    await run('offer', 'remove', 'Pro');
    assert.equal((await m.api('GET', '/api/v1/offers/Pro')).status, 404);
  });

  it('manages servers and users, and reads the audit log', async () => {
    const server = await json('server', 'add', '--name', 'web1', '--role', 'web,edge', '--address', '192.0.2.10', '--address', '2001:db8::10');
    assert.deepEqual([...server.roles].sort(), ['edge', 'web']);
    assert.deepEqual(server.addresses, ['192.0.2.10', '2001:db8::10']);
    assert.match(server.agentToken, /\S{16,}/);
    assert.match(await run('server', 'list'), /^web1\s+web,edge|^web1\s+edge,web/m);
    assert.deepEqual((await json('server', 'edit', 'web1', '--role', 'web')).roles, ['web']);
    assert.equal((await json('server', 'show', 'web1')).name, 'web1');
    const rotated = await json('server', 'token', 'web1');
    assert.match(rotated.agentToken, /^abria_/);
    assert.notEqual(rotated.agentToken, server.agentToken);
    assert.equal(rotated.status, 'never');
    await run('server', 'remove', 'web1');
    assert.match(oneLineError(await abri(['server', 'show', 'web1'], env)), /not_found/);

    const invited = await run('user', 'add', '--email', 'staff@abri.test', '--role', 'staff', '--locale', 'en');
    assert.match(invited, /user staff@abri\.test \(staff\) created; send them this link to choose a password \(valid 7 days\)/);
    assert.match(invited, /\/invitation#/);
    const withPassword = await abri(['--json', 'user', 'add', '--email', 'client@abri.test', '--password-stdin'], env, { input: 'correct horse battery staple\n' });
    assert.equal(withPassword.code, 0, withPassword.stderr);
    assert.equal(JSON.parse(withPassword.stdout).passwordSet, true);
    assert.equal((await json('user', 'disable', 'staff@abri.test')).disabled, true);
    const enabled = await json('user', 'edit', 'staff@abri.test', '--enable', '--locale', 'fr');
    assert.deepEqual([enabled.disabled, enabled.locale], [false, 'fr']);

    const audit = await json('audit', 'list', '--action', 'site.create', '--target', 'example.org');
    assert.ok(audit.items.length >= 1);
    assert.equal(audit.items[0].action, 'site.create');
    assert.equal(audit.items[0].actor, 'admin@abri.test');
    const recent = await json('audit', 'list', '--actor', 'admin@', '--from', new Date(Date.now() - 3600_000).toISOString(), '--limit', '5');
    assert.equal(recent.items.length, 5);
    assert.match(await run('audit', 'list', '--action', 'user.create', '--limit', '1'), /user\.create\s+user\s+client@abri\.test/);
  });
});

describe('abri login', () => {
  let m: TestManager;
  before(async () => {
    m = await startTestManager();
  });
  after(() => m?.close());

  it('logs in through the API and saves a token the other commands use, while the manager runs', async () => {
    await m.user('staff@login.test', 'staff');
    const home = mkdtempSync(path.join(scratch, 'login-'));
    const env = { ABRI_API_URL: m.url, XDG_CONFIG_HOME: home };
    const r = await abri(['login', '--email', 'staff@login.test', '--password-stdin', '--name', 'laptop'], env, { input: 'correct horse battery\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /logged in as staff@login\.test; API token "laptop" saved in \S+\/abri\/token/);
    const file = path.join(home, 'abri', 'token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^abri_\S+\n$/);
    const listed = await abri(['--json', 'customer', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const tokens = (await m.api('GET', '/api/v1/tokens', undefined, { token: readFileSync(file, 'utf8').trim() })).body.items;
    assert.deepEqual(tokens.map((t: { name: string }) => t.name).sort(), ['laptop', 'test'], 'the token the test helper made, and the one of abri login');
  });

  it('asks for the TOTP code when the account needs one, and fails plainly on a wrong password', async () => {
    const u = await m.user('totp@login.test', 'staff');
    const start = await m.api('POST', '/api/v1/me/totp', undefined, { token: u.token });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(start.body.secret) });
    assert.equal((await m.api('POST', '/api/v1/me/totp/confirm', { code: totp.generate() }, { token: u.token })).status, 200);
    const env = { ABRI_API_URL: m.url, XDG_CONFIG_HOME: mkdtempSync(path.join(scratch, 'login-')) };
    const needed = await abri(['login', '--email', 'totp@login.test', '--password-stdin'], env, { input: 'correct horse battery\n' });
    assert.match(oneLineError(needed), /two-factor.*--totp.*auth\.totp_required/);
    const ok = await abri(['--json', 'login', '--email', 'totp@login.test', '--password-stdin', '--totp', totp.generate()], env, { input: 'correct horse battery\n' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).email, 'totp@login.test');
    const bad = await abri(['login', '--email', 'totp@login.test', '--password-stdin'], env, { input: 'wrong password\n' });
    assert.match(oneLineError(bad), /auth\.invalid_credentials/);
  });

  it('usage errors exit 2: no email or password source without a terminal, a malformed code', async () => {
    const env = { ABRI_API_URL: m.url };
    assert.match(oneLineError(await abri(['login', '--password-stdin'], env, { input: 'x\n' }), 2), /--email/);
    assert.match(oneLineError(await abri(['login', '--email', 'a@b.test'], env), 2), /--password-stdin/);
    assert.match(oneLineError(await abri(['login', '--email', 'a@b.test', '--password-stdin', '--totp', '12'], env, { input: 'x\n' }), 2), /6-digit/);
  });
});

test('every command answers --help with exit 0', async () => {
  const commandsOf = (help: string) => {
    const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
    return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((x) => x[1]).filter((c) => c !== 'help');
  };
  const top = await abri(['--help']);
  assert.equal(top.code, 0);
  const groups = commandsOf(top.stdout);
  for (const g of ['serve', 'config', 'admin', 'token', 'login', 'customer', 'offer', 'hosting', 'site', 'server', 'user', 'audit']) assert.ok(groups.includes(g), `abri ${g}`);
  const seen: string[] = [];
  await Promise.all(groups.map(async (g) => {
    const r = await abri([g, '--help']);
    assert.equal(r.code, 0, `abri ${g} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: abri ${g}`));
    for (const sub of commandsOf(r.stdout)) {
      const s = await abri([g, sub, '--help']);
      assert.equal(s.code, 0, `abri ${g} ${sub} --help: ${s.stderr}`);
      assert.match(s.stdout, new RegExp(`^Usage: abri ${g} ${sub}`));
      assert.match(s.stdout, /--json/, 'global options are listed');
      seen.push(`${g} ${sub}`);
    }
  }));
  for (const c of ['customer invite', 'customer invitations', 'customer reinvite', 'customer uninvite', 'customer revoke', 'offer edit', 'hosting terminate', 'site add', 'server add', 'user disable', 'audit list']) {
    assert.ok(seen.includes(c), `abri ${c} --help was checked`);
  }
});

describe('bootstrap on a fresh data directory', () => {
  /** starts `abri serve`; resolves once it answers HTTP */
  async function serve(dataDir: string) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child: ChildProcess = spawn(process.execPath, [bin, 'serve'], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, ABRI_CONFIG: path.join(scratch, 'none.conf'), ABRI_DATA_DIR: dataDir, ABRI_LISTEN: `127.0.0.1:${port}`, ABRI_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 180_000; // hang detector only
    for (;;) {
      if (child.exitCode !== null) throw new Error(`abri serve exited with ${child.exitCode}: ${stderr}`);
      try {
        if ((await fetch(`${url}/api/v1/setup`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`abri serve never answered: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      url,
      stderr: () => stderr,
      async stop() {
        child.kill('SIGTERM');
        return exited;
      },
    };
  }

  it('creates the first admin and a token offline, then serves; the embedded database refuses a second process', async (t) => {
    const dataDir = mkdtempSync(path.join(scratch, 'data-'));
    const env = { ABRI_DATA_DIR: dataDir };
    const admin = await abri(['admin', 'create', '--email', 'root@asso.test', '--password-stdin'], env, { input: 'correct horse battery staple\n' });
    assert.equal(admin.code, 0, admin.stderr);
    assert.match(admin.stdout, /administrator root@asso\.test created/);

    const tokenRun = await abri(['token', 'create', '--email', 'root@asso.test', '--json'], env);
    assert.equal(tokenRun.code, 0, tokenRun.stderr);
    const { token } = JSON.parse(tokenRun.stdout);
    assert.match(token, /^abri_/);

    const server = await serve(dataDir);
    let stopped = false;
    t.after(async () => {
      if (!stopped) await server.stop();
    });
    assert.doesNotMatch(server.stderr(), /setup#/, 'an admin exists: no setup link');
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).user.email, 'root@asso.test');

    const busy = await abri(['token', 'create', '--email', 'root@asso.test'], env);
    assert.match(oneLineError(busy), /database\.in_use/);
    assert.equal(busy.code, 1);

    // and the API commands work against it with that token
    const listed = await abri(['--json', 'customer', 'list'], { ABRI_API_URL: server.url, ABRI_TOKEN: token });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout).total, 0);

    assert.equal(await server.stop(), 0);
    stopped = true;
    assert.equal(existsSync(path.join(dataDir, 'db.lock')), false, 'the lock is released on SIGTERM');
    const again = await abri(['token', 'create', '--email', 'root@asso.test', '--json'], env);
    assert.equal(again.code, 0, again.stderr);
  });

  it('prints a setup link when serving an empty data directory', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'empty-'));
    const server = await serve(dataDir);
    try {
      assert.match(server.stderr(), new RegExp(`${server.url.replace(/[.]/g, '\\.')}/setup#\\S{16,}`));
      assert.match(server.stderr(), /abri admin create/);
      const setup = await fetch(`${server.url}/api/v1/setup`);
      assert.deepEqual(await setup.json(), { needed: true });
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
