// The `abri` command against a real manager: the staff flow from customer to site, showing and
// listing objects, errors said in one line, paging (cli-admin, cli-login, cli-help, cli-bootstrap: the rest).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';
import { freePort } from './harness/services.js';

describe('staff commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

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
    const r = await abri(['site', 'list', '--hosting', hostingName, '--json'], cli.env);
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
    const other = await seedHosting(cli.m, { customer: 'Autre Asso' });
    const taken = oneLineError(await abri(['site', 'add', '--hosting', other.hosting.name, 'example.org'], cli.env));
    assert.equal(taken, 'abri: example.org is already used by a site on this platform (site.domain_taken)', 'said once');
    const quota = oneLineError(await abri(['site', 'add', '--hosting', hostingName, 'second.example.org'], cli.env));
    assert.match(quota, /quota\.sites_exceeded/);
    const missing = oneLineError(await abri(['--json', 'hosting', 'show', 'h999'], cli.env));
    assert.match(missing, /hosting\.not_found|not_found/);
    const invalid = oneLineError(await abri(['customer', 'add', '--name', 'X', '--email', 'not-an-email'], cli.env));
    assert.match(invalid, /^abri: invalid input: contactEmail: must be an email address \(request\.validation\)$/);
    const fields = oneLineError(await abri(['offer', 'add', '--name', ' ', '--price', '1', '--php', '8.2,x'], cli.env));
    assert.equal(fields, 'abri: invalid input: name: must not be empty; phpVersions.1: must be a PHP version like 8.2 (request.validation)', 'every field, readable');
    const nothing = oneLineError(await abri(['customer', 'edit', '1'], cli.env), 2);
    assert.match(nothing, /nothing to change/);
  });

  it('reports usage errors, a missing token and an unreachable manager in one line', async () => {
    assert.match(oneLineError(await abri(['offer', 'add', '--name', 'X', '--price', 'cheap'], cli.env), 2), /--price.*must be an amount/);
    assert.match(oneLineError(await abri(['hosting', 'list', '--limit', 'ten'], cli.env), 2), /--limit.*whole number/);
    assert.match(oneLineError(await abri(['site', 'list'], cli.env), 2), /--hosting/);
    assert.match(oneLineError(await abri(['customer', 'list'], { ABRI_API_URL: cli.m.url })), /no API token/);
    const closed = `http://127.0.0.1:${await freePort()}`;
    assert.match(oneLineError(await abri(['customer', 'list'], { ABRI_API_URL: closed, ABRI_TOKEN: 'abri_x' })), /cannot reach the manager .*abri serve/);
    assert.match(oneLineError(await abri(['customer', 'list'], { ABRI_API_URL: cli.m.url, ABRI_TOKEN: 'abri_wrong' })), /auth\./);
  });

  it('pages lists with --q, --sort, --limit and --cursor', async () => {
    for (const n of ['Pager A', 'Pager B', 'Pager C']) await cli.m.api('POST', '/api/v1/customers', { name: n, contactEmail: 'p@pager.test' });
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
});
