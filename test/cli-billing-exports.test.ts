// `abri billing export csv|fec` and the export settings of `abri billing set` against a real manager:
// the files land where asked (or under the manager's name), the FEC is named after the SIREN and
// balances; a bad day is a usage error (exit 2), a reversed range or a missing SIREN one clear line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { abri, cliWithManager, oneLineError, scratch } from './helpers/cli.js';
import { fecEntries, parseCsv } from './helpers/billing-exports.js';

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('billing export commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('sets the accounts, exports the CSV and the FEC of a range', async () => {
    const offer = await json('offer', 'add', '--name', 'Pro', '--price', '10', '--vat-rate', '20');
    const c = (await cli.m.api('POST', '/api/v1/customers', { name: 'Club Photo', contactEmail: 'club@photo.test', postalAddress: '2 rue du Club\n31000 Toulouse' })).body;
    const h = (await cli.m.api('POST', '/api/v1/hostings', { customerId: c.id, offerId: offer.id })).body;
    await run('billing', 'set', '--name', 'Hébergeurs Associés', '--address', '12 place de la Mairie\\n69001 Lyon', '--vat-mode', 'vat', '--registration', 'W691234567');
    const inv = await json('invoice', 'issue', h.name);
    await json('invoice', 'credit', inv.number, '--reason', 'Doublon');
    const [from, to] = [dayOf(Date.now() - 86_400_000), dayOf(Date.now() + 86_400_000)];

    assert.match(await run('billing', 'export', 'csv', '--from', from, '--to', to), new RegExp(`invoices-${from}-${to}\\.csv written \\(2 lines`));
    const rows = parseCsv(readFileSync(path.join(scratch, `invoices-${from}-${to}.csv`), 'utf8'));
    assert.deepEqual(rows.map((r) => [r.number, r.total]), [[inv.number, '12.00'], [rows[1]!.number, '-12.00']]);

    assert.match(oneLineError(await abri(['billing', 'export', 'fec', '--from', from, '--to', to], cli.env)), /SIREN/);
    const set = await json('billing', 'set', '--siren', '552100554', '--customer-account', '4110', '--factur-x');
    assert.deepEqual([set.siren, set.customerAccount, set.revenueAccount, set.facturX], ['552100554', '4110', '706', true]);
    assert.equal((await json('billing', 'set', '--no-factur-x')).facturX, false);
    assert.equal((await json('billing', 'set', '--bank-account', '5121')).bankAccount, '5121');
    const out = await json('billing', 'export', 'fec', '--from', from, '--to', to, '--separator', 'pipe', '-o', 'journal.txt');
    assert.equal(out.file, 'journal.txt');
    const { entries } = fecEntries(readFileSync(path.join(scratch, 'journal.txt'), 'utf8'), '|');
    assert.equal(entries.size, 2);
    for (const lines of entries.values()) assert.equal(lines.reduce((s, l) => s + l.debit - l.credit, 0), 0);
    assert.ok([...entries.values()].flat().some((l) => l.row.CompteNum === '4110'));
    assert.match(await run('billing', 'export', 'fec', '--from', from, '--to', to), new RegExp(`552100554FEC${to.replace(/-/g, '')}\\.txt written`));
    const stdout = await run('billing', 'export', 'csv', '--from', from, '--to', to, '-o', '-');
    assert.match(stdout, /^number,kind,date,/);

    oneLineError(await abri(['billing', 'export', 'csv', '--from', '2026-13-01', '--to', to], cli.env), 2);
    oneLineError(await abri(['billing', 'export', 'csv', '--to', to], cli.env), 2);
    assert.match(oneLineError(await abri(['billing', 'export', 'csv', '--from', to, '--to', from], cli.env)), /before it starts/);
  });
});
