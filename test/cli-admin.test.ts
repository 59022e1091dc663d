// The `abri` command against a real manager: customers and who has access to them, the life of a
// hosting, sites and offers edited, servers, users and the audit log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('staff commands over the API: customers, hostings, sites, offers, servers, users, audit', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('edits customers and manages who has access to them', async () => {
    const c = (await cli.m.api('POST', '/api/v1/customers', { name: 'Club', contactEmail: 'club@club.test' })).body;
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
    assert.match(oneLineError(await abri(['customer', 'uninvite', String(c.number), 'tresorier@club.test'], cli.env)), /no waiting invitation/);
    const link = invite.match(/#(\S+)$/m)![1];
    assert.equal((await cli.m.api('POST', '/api/v1/auth/accept-invitation', { token: link, password: 'president password' }, { token: null })).status, 200);

    // existing accounts join by accepting their invitation, logged in as themselves
    for (const email of ['secretaire@club.test', 'membre@club.test']) await cli.m.user(email);
    const third = (await cli.m.join(c.id, 'secretaire@club.test', 'readonly')).body;
    const fourth = (await cli.m.join(c.id, 'membre@club.test', 'readonly')).body;

    const access = await json('customer', 'access', String(c.number));
    assert.deepEqual(access.items.map((d: { email: string }) => d.email).sort(), ['membre@club.test', 'president@club.test', 'secretaire@club.test']);
    assert.match(await run('customer', 'revoke', String(c.number), 'secretaire@club.test'), /secretaire@club\.test no longer has access/);
    await run('customer', 'revoke', String(c.number), fourth.userId);
    const gone = oneLineError(await abri(['customer', 'revoke', String(c.number), third.id], cli.env));
    assert.match(gone, /delegation\.not_found/);
    assert.match(oneLineError(await abri(['customer', 'revoke', String(c.number), 'secretaire@club.test'], cli.env)), /no access/);
    assert.deepEqual((await json('customer', 'access', String(c.number))).items.map((d: { email: string }) => d.email), ['president@club.test']);

    const empty = (await cli.m.api('POST', '/api/v1/customers', { name: 'Éphémère', contactEmail: 'e@e.test' })).body;
    assert.match(await run('customer', 'remove', String(empty.number)), /customer \d+ "Éphémère" removed/);
    assert.equal((await cli.m.api('GET', `/api/v1/customers/${empty.id}`)).status, 404);
  });

  it('suspends, unsuspends and terminates hostings, refusing to terminate without --yes', async () => {
    const { hosting } = await seedHosting(cli.m, { customer: 'Fermeture' });
    await cli.m.api('POST', `/api/v1/hostings/${hosting.name}/sites`, { domain: 'bientot-ferme.test' });
    await cli.m.api('POST', `/api/v1/hostings/${hosting.name}/sites`, { domain: 'encore.test' });

    assert.equal((await json('hosting', 'suspend', hosting.name)).status, 'suspended');
    assert.match(await run('hosting', 'unsuspend', hosting.name), new RegExp(`hosting ${hosting.name} is now active`));

    const refusal = oneLineError(await abri(['hosting', 'terminate', hosting.name], cli.env), 2);
    assert.match(refusal, /cannot be undone/);
    assert.match(refusal, /2 site\(s\) \(bientot-ferme\.test, encore\.test\)/);
    assert.match(refusal, /--yes/);
    assert.equal((await cli.m.api('GET', `/api/v1/hostings/${hosting.name}`)).body.status, 'active');

    const terminated = await json('hosting', 'terminate', hosting.name, '--yes');
    assert.equal(terminated.status, 'terminated');
    assert.equal((await json('site', 'list', '--hosting', hosting.name)).total, 0);
  });

  it('edits sites and offers', async () => {
    const { hosting } = await seedHosting(cli.m, { customer: 'Sites', offer: { phpVersions: ['8.2'] } });
    await json('site', 'add', '--hosting', hosting.name, 'blog.test', '--root', 'blog/public', '--https', 'redirect');
    const a = await json('site', 'edit', 'blog.test', '--add-alias', 'www.blog.test,old.blog.test', '--https', 'https-only');
    assert.deepEqual(a.aliases, ['www.blog.test', 'old.blog.test']);
    assert.equal(a.httpsMode, 'https-only');
    assert.equal(a.documentRoot, 'blog/public');
    const b = await json('site', 'edit', 'blog.test', '--remove-alias', 'old.blog.test', '--status', 'disabled');
    assert.deepEqual(b.aliases, ['www.blog.test']);
    assert.equal(b.status, 'disabled');
    assert.match(await run('site', 'remove', 'blog.test'), /site blog\.test removed/);
    assert.equal((await cli.m.api('GET', '/api/v1/sites/blog.test')).status, 404);

    const offer = await json('offer', 'add', '--name', 'Pro', '--price', '12,50', '--cycle', 'yearly', '--max-sites', '10', '--ssh', '--no-tls', '--disk-mb', '5000', '--php-memory-mb', '512');
    assert.deepEqual([offer.priceCents, offer.billingCycle, offer.maxSites, offer.sshAllowed, offer.tlsAllowed, offer.diskMb, offer.phpMemoryMb], [1250, 'yearly', 10, true, false, 5000, 512]);
    const edited = await json('offer', 'edit', 'Pro', '--price', '15', '--archived');
    assert.deepEqual([edited.priceCents, edited.archived, edited.maxSites], [1500, true, 10]);
    assert.match(await run('offer', 'list', '--q', 'pro'), /^Pro\s+15\.00 EUR\s+yearly/m);
    await run('offer', 'remove', 'Pro');
    assert.equal((await cli.m.api('GET', '/api/v1/offers/Pro')).status, 404);
  });

  it('manages servers and users, and reads the audit log', async () => {
    // the site whose creation the audit log shows (cli-staff makes it with `abri site add`)
    const { hosting } = await seedHosting(cli.m, { customer: 'Audit' });
    assert.equal((await cli.m.api('POST', `/api/v1/hostings/${hosting.name}/sites`, { domain: 'example.org' })).status, 201);
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
    assert.match(oneLineError(await abri(['server', 'show', 'web1'], cli.env)), /not_found/);

    const invited = await run('user', 'add', '--email', 'staff@abri.test', '--role', 'staff', '--locale', 'en');
    assert.match(invited, /user staff@abri\.test \(staff\) created; send them this link to choose a password \(valid 7 days\)/);
    assert.match(invited, /\/invitation#/);
    const withPassword = await abri(['--json', 'user', 'add', '--email', 'client@abri.test', '--password-stdin'], cli.env, { input: 'correct horse battery staple\n' });
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
