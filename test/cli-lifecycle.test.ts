// `abri service …` and `abri invoice credit --amount` against a real manager: a change of offer
// previewed then done (its amounts in plain lines), an offer that does not fit refused in one line,
// a service ended at term, kept, ended early; a partial credit and a credit beyond what is left.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('service lifecycle commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('changes an offer, ends and keeps a service, credits in part', async () => {
    const small = await json('offer', 'add', '--name', 'Petite', '--price', '10', '--self-service');
    assert.equal(small.selfService, true);
    await json('offer', 'add', '--name', 'Grande', '--price', '31');
    await json('offer', 'add', '--name', 'Minuscule', '--price', '1', '--max-sites', '0');
    await run('billing', 'set', '--name', 'Hébergeurs Associés', '--address', '12 place de la Mairie\\n69001 Lyon');
    const c = (await cli.m.api('POST', '/api/v1/customers', { name: 'Chorale', contactEmail: 'chorale@example.org', postalAddress: '1 rue du Chant\n35000 Rennes' })).body;
    const h = (await cli.m.api('POST', '/api/v1/hostings', { customerId: c.id, offerId: small.id })).body;
    assert.equal((await cli.m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain: 'chorale.example.org' })).status, 201);
    const today = new Date().toISOString().slice(0, 10);
    await json('billing', 'service', h.name, '--due-date', today);
    const inv = await json('invoice', 'issue', h.name);
    await json('billing', 'service', h.name, '--due-date', inv.periodEnd); // what the renewals job does once the period starts

    const preview = await run('service', 'change-offer', h.name, 'Grande', '--preview');
    assert.match(preview, new RegExp(`^${h.name}: Petite → Grande on ${today} \\(preview: nothing issued\\)$`, 'm'));
    assert.match(preview, /^credit: -\d+\.\d\d EUR \(\d+\/\d+ days unused of F\d{4}-000001\)$/m);
    assert.match(preview, /^balance: \d+\.\d\d EUR; due date stays \d{4}-\d\d-\d\d$/m);
    const done = await json('service', 'change-offer', h.name, 'Grande');
    assert.deepEqual(done.issued.map((d: { kind: string }) => d.kind), ['credit_note', 'invoice']);
    assert.match(oneLineError(await abri(['service', 'change-offer', h.name, 'Minuscule'], cli.env)), /holds more than the offer "Minuscule" allows: sites 1 > 0/);

    assert.match(await run('service', 'end', h.name, '--at', 'term', '--reason', 'fusion'), new RegExp(`^${h.name} ends on \\d{4}-\\d\\d-\\d\\d \\(at term\\)$`, 'm'));
    assert.match(oneLineError(await abri(['service', 'end', h.name, '--at', 'term'], cli.env)), /ends on \d{4}-\d\d-\d\d already/);
    assert.match(await run('service', 'keep', h.name), /no longer ends/);
    oneLineError(await abri(['service', 'end', h.name, '--at', 'soon'], cli.env), 2);
    assert.equal((await json('service', 'end', h.name, '--at', 'early')).ending.mode, 'early');

    // changed on the first day of the period: all of it credited (nothing is left of that invoice)
    assert.match(oneLineError(await abri(['invoice', 'credit', inv.number, '--reason', 'Encore'], cli.env)), /nothing is left to credit/);
    const grande = done.issued[1].number;
    const part = await json('invoice', 'credit', grande, '--reason', 'Geste', '--amount', '1.50');
    assert.equal(part.totalCents, -150);
    assert.match(oneLineError(await abri(['invoice', 'credit', grande, '--reason', 'Trop', '--amount', '100'], cli.env)), /cents left to credit/);
    assert.match(await run('invoice', 'list', '--kind', 'invoice'), /\d+\.\d\d EUR/);
  });
});
