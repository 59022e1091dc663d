// `abri order …` against a real manager: staff order for a customer (its invoice issued), list by
// state, show; paying its invoice (`abri payment record`) makes the hosting; cancel an unpaid order
// (its invoice credited), a paid one refused in one line; retry refused unless failed; usage errors
// exit 2; an orderable offer from `abri offer add --orderable`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('order commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('orders for a customer, pays, cancels, and refuses what cannot be done', async () => {
    const offer = await json('offer', 'add', '--name', 'Asso', '--price', '12', '--orderable');
    assert.equal(offer.orderable, true);
    await json('billing', 'set', '--name', 'Hébergeurs Associés', '--address', '12 place de la Mairie\\n69001 Lyon', '--order-days', '20');
    const c = (await cli.m.api('POST', '/api/v1/customers', { name: 'Club Photo', contactEmail: 'club@photo.test', postalAddress: '2 rue du Club\n31000 Toulouse' })).body;
    assert.match(oneLineError(await abri(['order', 'create', '--offer', 'Asso'], cli.env)), /customer/i);
    const created = await run('order', 'create', '--offer', 'Asso', '--customer', String(c.number), '--domain', 'club-photo.test');
    assert.match(created, /^order \d+: Asso \(12\.00 EUR\/monthly\), awaiting_payment; invoice F\d{4}-\d{6}$/m);
    const o = (await json('order', 'list', '--state', 'awaiting_payment')).items[0];
    assert.equal(o.domain, 'club-photo.test');
    assert.match(await run('order', 'list'), /Club Photo\s+Asso\s+12\.00 EUR\/monthly\s+club-photo\.test\s+awaiting_payment/);
    await run('payment', 'record', o.invoice.number, '--amount', '12', '--method', 'cheque', '--reference', 'chèque 77');
    await cli.m.manager.jobs.runDue();
    const done = await json('order', 'show', String(o.number));
    assert.equal(done.state, 'provisioned');
    assert.ok(done.hosting.name);
    assert.match(oneLineError(await abri(['order', 'cancel', String(o.number)], cli.env)), /cannot be cancelled/);
    assert.match(oneLineError(await abri(['order', 'retry', String(o.number)], cli.env)), /only a failed provisioning/);
    const second = await json('order', 'create', '--offer', 'Asso', '--customer', c.id);
    assert.match(await run('order', 'cancel', second.id), /cancelled/);
    assert.equal((await json('invoice', 'show', second.invoice.number)).status, 'credited');
    oneLineError(await abri(['order', 'create'], cli.env), 2);
    oneLineError(await abri(['order', 'list', '--state', 'lost'], cli.env), 2);
  });
});
