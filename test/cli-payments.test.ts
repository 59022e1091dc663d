// `abri payment …` against a real manager: the seller's IBAN (a wrong one refused in one line), a
// cheque recorded in part on an invoice by its number, the rest by bank transfer found by its RF
// reference alone, more than the balance refused, the list; a credited invoice's refund; usage errors
// exit 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('payment commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('records a cheque in part, the rest by transfer from its RF reference, and a refund once credited', async () => {
    const offer = await json('offer', 'add', '--name', 'Asso', '--price', '30');
    const c = (await cli.m.api('POST', '/api/v1/customers', { name: 'Club Photo', contactEmail: 'club@photo.test', postalAddress: '2 rue du Club\n31000 Toulouse' })).body;
    const h = (await cli.m.api('POST', '/api/v1/hostings', { customerId: c.id, offerId: offer.id })).body;
    assert.match(oneLineError(await abri(['billing', 'set', '--iban', 'FR76 3000 6000 0112 3456 7890 188'], cli.env)), /IBAN.*mod 97/);
    const seller = await json('billing', 'set', '--name', 'Hébergeurs Associés', '--address', '12 place de la Mairie\\n69001 Lyon', '--iban', 'FR76 3000 6000 0112 3456 7890 189', '--bic', 'agrifrpp');
    assert.deepEqual([seller.iban, seller.bic], ['FR7630006000011234567890189', 'AGRIFRPP']);
    const inv = await json('invoice', 'issue', h.name);
    assert.deepEqual(inv.seller.iban, 'FR7630006000011234567890189', 'the IBAN is frozen onto the invoice');

    const first = await run('payment', 'record', inv.number, '--amount', '12.50', '--method', 'cheque', '--reference', 'chèque 1234567');
    assert.match(first, new RegExp(`^12\\.50 EUR recorded on ${inv.number}: 17\\.50 EUR still due$`, 'm'));
    assert.match(oneLineError(await abri(['payment', 'record', inv.number, '--amount', '17.51', '--method', 'cash'], cli.env)), /17\.50|1750 cents left/);
    const spaced = inv.paymentReference.replace(/(.{4})(?=.)/g, '$1 ');
    const rest = await run('payment', 'record', '--amount', '17.50', '--method', 'transfer', '--reference', spaced, '--on', '2020-01-02');
    assert.match(rest, new RegExp(`recorded on ${inv.number}: paid in full`));
    assert.equal((await json('invoice', 'show', inv.paymentReference)).status, 'paid');
    const list = await run('payment', 'list', '--invoice', inv.number);
    assert.match(list, /2020-01-02\s+F\d{4}-000001\s+17\.50 EUR\s+transfer/);
    assert.match(list, /chèque 1234567/);
    assert.equal((await json('payment', 'list', '--method', 'cheque')).items.length, 1);
    assert.match(await run('invoice', 'list', '--status', 'paid'), /paid\s+0\.00 EUR/);

    await json('invoice', 'credit', inv.number, '--reason', 'Doublon');
    assert.match(oneLineError(await abri(['payment', 'record', inv.number, '--amount', '1', '--method', 'cash'], cli.env)), /credited/);
    assert.match(await run('payment', 'refund', inv.number, '--amount', '10', '--method', 'transfer'), /refund of 10\.00 EUR recorded on F\d{4}-000001: credited, 20\.00 EUR still to refund/);
    assert.match(oneLineError(await abri(['payment', 'refund', inv.number, '--amount', '20.01', '--method', 'transfer'], cli.env)), /2000 cents are due back/);

    oneLineError(await abri(['payment', 'record', '--amount', '1', '--method', 'cash', '--reference', 'chèque 42'], cli.env), 2);
    oneLineError(await abri(['payment', 'record', inv.number, '--amount', '1', '--method', 'card'], cli.env), 2);
    oneLineError(await abri(['payment', 'record', inv.number, '--amount', '-1', '--method', 'cash'], cli.env), 2);
    oneLineError(await abri(['payment', 'record', inv.number, '--amount', '1', '--method', 'cash', '--on', 'yesterday'], cli.env), 2);
    assert.match(oneLineError(await abri(['payment', 'record', 'RF00F2026000001', '--amount', '1', '--method', 'cash'], cli.env)), /invoice/i);
  });
});
