// `abri invoice …` and `abri billing …` against a real manager: the seller's settings, an offer's VAT
// rate, a service's due date, an invoice issued, listed, shown, downloaded as PDF (read back by
// pdftotext) and credited; refusals are one clear line with a non-zero exit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { abri, cliWithManager, oneLineError, scratch } from './helpers/cli.js';

describe('billing commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('sets up the seller, issues, lists, downloads and credits an invoice', async () => {
    const offer = await json('offer', 'add', '--name', 'Asso', '--price', '12.50', '--vat-rate', '5.5');
    assert.equal(offer.vatRateBp, 550);
    assert.equal((await json('offer', 'edit', 'Asso', '--vat-rate', 'default')).vatRateBp, null);
    const c = (await cli.m.api('POST', '/api/v1/customers', { name: 'Club Photo', contactEmail: 'club@photo.test', postalAddress: '2 rue du Club\n31000 Toulouse' })).body;
    const h = (await cli.m.api('POST', '/api/v1/hostings', { customerId: c.id, offerId: offer.id })).body;

    assert.match(oneLineError(await abri(['invoice', 'issue', h.name], cli.env)), /seller's name and address/);
    assert.match(await run('billing', 'set', '--name', 'Hébergeurs Associés', '--address', '12 place de la Mairie\\n69001 Lyon', '--vat-mode', 'nonprofit', '--registration', 'W691234567'), /billing settings changed/);
    assert.equal((await json('billing', 'show')).address, '12 place de la Mairie\n69001 Lyon');
    oneLineError(await abri(['billing', 'set', '--vat-mode', 'free'], cli.env), 2);

    assert.equal((await json('billing', 'service', h.name, '--due-date', '2026-02-01')).dueDate, '2026-02-01');
    const issued = await run('invoice', 'issue', h.name);
    assert.match(issued, /^invoice F\d{4}-000001 issued: 12\.50 EUR$/m);
    const list = await run('invoice', 'list', '--customer', String(c.number));
    assert.match(list, /F\d{4}-000001\s+invoice/);
    const inv = await json('invoice', 'show', issued.match(/F\d{4}-000001/)![0]);
    assert.equal(inv.periodStart, '2026-02-01');
    assert.deepEqual(inv.mentions, ['Exonération de TVA, art. 261-7-1° du CGI']);

    const out = await run('invoice', 'pdf', inv.number);
    assert.match(out, new RegExp(`written to ${inv.number}\\.pdf`));
    const file = path.join(scratch, `${inv.number}.pdf`);
    assert.ok(existsSync(file));
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    assert.ok(text.includes(inv.number) && text.includes('Exonération de TVA, art. 261-7-1° du CGI') && text.includes('12,50 €'), text);

    oneLineError(await abri(['invoice', 'credit', inv.number], cli.env), 2); // --reason is required: a usage error
    const credit = await json('invoice', 'credit', inv.number, '--reason', 'Doublon');
    assert.match(credit.number, /^A\d{4}-000001$/);
    assert.match(oneLineError(await abri(['invoice', 'credit', inv.number, '--reason', 'again'], cli.env)), /credited by A\d{4}-000001 already/);
    assert.match(oneLineError(await abri(['invoice', 'show', 'F2026-999999'], cli.env)), /invoice/i);
  });
});
