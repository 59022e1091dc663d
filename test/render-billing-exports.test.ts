// Golden files of the accounting exports (test/golden/billing-exports/<case>/input.json: documents,
// accounts, separator → invoices.csv and the FEC) and of the Factur-X XML (test/golden/facturx/<case>/
// input.json: an invoice as the API shows it → factur-x.xml); the FEC's entries balance and a credit
// note reverses its invoice; the CSV parses back to the documents; every XML is well-formed for
// xmllint (Debian libxml2-utils) and carries the EN 16931 business terms read back by XPath.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { goldenTests } from './harness/golden.js';
import { fecFileName, fecText, invoicesCsv, sirenOf, type Accounts, type JournalPayment } from '../src/billing/render-exports.js';
import { letterCode, lettersOf, type Letter } from '../src/billing/rules-lettering.js';
import { addressParts, facturXml } from '../src/billing/render-facturx.js';
import { invoicePdf } from '../src/billing/pdf-invoice.js';
import type { InvoiceView } from '../src/billing/model.js';
import { cii, fecEntries, parseCsv } from './helpers/billing-exports.js';

interface ExportCase {
  docs: InvoiceView[];
  payments: JournalPayment[];
  letters: Record<string, Letter>;
  accounts: Accounts;
  separator: 'tab' | 'pipe';
}

goldenTests('billing-exports', (c: ExportCase) => [
  { path: 'invoices.csv', content: invoicesCsv(c.docs), mode: 0o644 },
  { path: 'fec.txt', content: fecText(c, c.accounts, c.separator === 'pipe' ? '|' : '\t'), mode: 0o644 },
]);
goldenTests('facturx', (i: InvoiceView) => [{ path: 'factur-x.xml', content: facturXml(i), mode: 0o644 }]);

const golden = (dir: string) => new URL(`golden/${dir}/`, import.meta.url);
const journal = JSON.parse(readFileSync(new URL('journal-tab/input.json', golden('billing-exports')), 'utf8')) as ExportCase;
const work = mkdtempSync(path.join(tmpdir(), 'abri-exports-render-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

test('FEC: 18 columns, every entry balanced, the credit note reverses its invoice, amounts with a comma', () => {
  const fec = fecText(journal, journal.accounts);
  const { header, entries } = fecEntries(fec, '\t');
  assert.equal(header.length, 18);
  assert.deepEqual(header.slice(0, 3), ['JournalCode', 'JournalLib', 'EcritureNum']);
  assert.equal(entries.size, journal.docs.length + journal.payments.length, 'one entry per document and per payment');
  for (const [num, lines] of entries) {
    const debit = lines.reduce((s, l) => s + l.debit, 0);
    const credit = lines.reduce((s, l) => s + l.credit, 0);
    assert.equal(debit, credit, `entry ${num} balances`);
    for (const l of lines) assert.ok((l.debit === 0) !== (l.credit === 0), `${num}: one side per line`);
  }
  const byPiece = (ref: string) => [...entries.values()].find((ls) => ls[0]!.row.PieceRef === ref && ls[0]!.row.JournalCode === 'VT')!;
  const invoice = byPiece('F2026-000123');
  const credit = byPiece('A2026-000007');
  const side = (ls: typeof invoice, account: string) => ls.filter((l) => l.row.CompteNum === account).map((l) => [l.debit, l.credit]);
  assert.deepEqual(side(invoice, '411'), [[1250, 0]], 'the invoice debits the customer');
  assert.deepEqual(side(credit, '411'), [[0, 1250]], 'the credit note credits the customer back');
  assert.deepEqual(side(invoice, '706'), [[0, 1250]]);
  assert.deepEqual(side(credit, '706'), [[1250, 0]], 'and debits the revenue');
  assert.equal(credit[0]!.row.CompAuxNum, 'C1042');
  const twoRates = byPiece('F2026-000125');
  assert.deepEqual(side(twoRates, '44571'), [[0, 501], [0, 2400]], 'VAT collected per rate');
  assert.ok(fec.includes('\t240,01\t0,00\t'), 'decimal comma');
  assert.ok(fec.split('\n').every((l) => l === '' || l.split('\t').length === 18), 'a name with a tab or a pipe does not shift the columns');
});

test('FEC: payments in the bank journal BQ (512 debited, the customer credited; a refund reversed), settled invoices lettered', () => {
  const { entries } = fecEntries(fecText(journal, journal.accounts), '\t');
  const all = [...entries.values()];
  const bank = all.filter((ls) => ls[0]!.row.JournalCode === 'BQ');
  assert.deepEqual(bank.map((ls) => ls[0]!.row.EcritureNum), ['BQ000001', 'BQ000002', 'BQ000003', 'BQ000004'], 'numbered in their own sequence');
  const days = all.map((ls) => ls[0]!.row.EcritureDate);
  assert.deepEqual(days, [...days].sort(), 'entries in the order of their days');
  const sides = (ls: typeof bank[number]) => ls.map((l) => `${l.row.CompteNum}${l.row.CompAuxNum ? `/${l.row.CompAuxNum}` : ''} ${l.debit}/${l.credit} ${l.row.EcritureLet}${l.row.DateLet ? `@${l.row.DateLet}` : ''}`);
  assert.deepEqual(sides(bank[0]!), ['512 1250/0 ', '411/C1042 0/1250 AA@20260405'], 'a payment: the bank debited, the customer credited, lettered with its invoice');
  assert.deepEqual(sides(bank[3]!), ['512 0/1250 ', '411/C1042 1250/0 AA@20260405'], 'a refund: reversed');
  assert.deepEqual(sides(bank[1]!), ['512 4400/0 ', '411/C1042 0/4400 '], 'F2026-000124 is paid in part: not lettered');
  const customerLines = all.flat().filter((l) => l.row.CompteNum === '411');
  const byLetter = (aux: string, letter: string) => customerLines.filter((l) => l.row.CompAuxNum === aux && l.row.EcritureLet === letter);
  const aa = byLetter('C1042', 'AA');
  assert.deepEqual(aa.map((l) => l.row.PieceRef).sort(), ['A2026-000007', 'F2026-000123', 'F2026-000123', 'F2026-000123'], 'the invoice, its credit note, its payment and its refund');
  assert.equal(aa.reduce((s, l) => s + l.debit - l.credit, 0), 0, 'a letter\'s lines add up to nothing');
  assert.equal(byLetter('C2001', 'AA').reduce((s, l) => s + l.debit - l.credit, 0), 0, 'letters are per customer account');
  assert.ok(all.flat().every((l) => l.row.CompteNum === '411' || (l.row.EcritureLet === '' && l.row.DateLet === '')), 'only the customers\' account is lettered');
  assert.ok(all.flat().every((l) => l.row.EcritureNum.startsWith(l.row.JournalCode)));
  assert.equal(bank[1]![0]!.row.EcritureLib, 'Règlement F2026-000124 Les Jardins <partagés> & Cie RF.. F202 6000 124 virement partiel', 'a reference with a tab or a pipe is one field');
});

test('lettering: AA, AB… ZZ, AAA… by the invoice\'s rank; only what adds up to nothing is lettered', () => {
  assert.deepEqual([1, 2, 26, 27, 676, 677, 678].map(letterCode), ['AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA', 'AAB']);
  assert.throws(() => letterCode(0), /positive/);
  assert.deepEqual(lettersOf([
    { invoiceId: 'paid', rank: 3, balanceCents: 0, lastDay: '2026-04-05' },
    { invoiceId: 'partly', rank: 4, balanceCents: 700, lastDay: '2026-04-06' },
    { invoiceId: 'refund-due', rank: 5, balanceCents: -1200, lastDay: '2026-04-07' },
  ]), { paid: { letter: 'AC', day: '2026-04-05' } });
});

test('CSV: parsed back, one line per document and VAT rate, a formula in a name is neutralised', () => {
  const rows = parseCsv(invoicesCsv(journal.docs));
  assert.equal(rows.length, 5, 'four documents, one of them with two rates');
  for (const doc of journal.docs) {
    const mine = rows.filter((r) => r.number === doc.number);
    assert.equal(mine.reduce((s, r) => s + Math.round(Number(r.total) * 100), 0), doc.totalCents, `${doc.number} total`);
    assert.equal(mine.reduce((s, r) => s + Math.round(Number(r.vat) * 100), 0), doc.vatCents);
    assert.ok(mine.every((r) => r.kind === doc.kind && r.date === doc.issueDate && r.customerNumber === String(doc.buyer.number)));
  }
  assert.equal(rows.find((r) => r.number === 'A2026-000007')!.credits, 'F2026-000123');
  assert.ok(rows.find((r) => r.number === 'F2026-000125')!.customer.startsWith('\'=HYPERLINK('), 'a spreadsheet shows the formula, never runs it');
});

test('the FEC is named after the SIREN (set, or from a SIREN or SIRET registration) and the last day', () => {
  assert.equal(sirenOf({ siren: '', registration: '123 456 789 00012' }), '123456789');
  assert.equal(sirenOf({ siren: '', registration: '552100554' }), '552100554');
  assert.equal(sirenOf({ siren: '', registration: 'W691234567' }), null, 'an RNA number is no SIREN');
  assert.equal(sirenOf({ siren: '987654321', registration: 'W691234567' }), '987654321');
  assert.equal(fecFileName('123456789', '2026-12-31'), '123456789FEC20261231.txt');
});

test('addresses: postcode and city, up to three lines, the country when it is said', () => {
  assert.deepEqual(addressParts('3 allée des Tilleuls\n75011 Paris'), { postcode: '75011', lines: ['3 allée des Tilleuls'], city: 'Paris', country: 'FR' });
  assert.deepEqual(addressParts('Rue de la Loi 16\n1000 Bruxelles\nBE'), { postcode: '1000', lines: ['Rue de la Loi 16'], city: 'Bruxelles', country: 'BE' });
  assert.deepEqual(addressParts('a\nb\nc\nd\n33000 Bordeaux\nFrance').lines, ['a', 'b', 'c, d']);
  assert.deepEqual(addressParts(''), { postcode: undefined, lines: [], city: undefined, country: 'FR' });
});

test('every golden Factur-X XML is well-formed and carries the EN 16931 business terms', () => {
  for (const name of readdirSync(golden('facturx'))) {
    const i = JSON.parse(readFileSync(new URL(`${name}/input.json`, golden('facturx')), 'utf8')) as InvoiceView;
    const file = path.join(work, `${name}.xml`);
    writeFileSync(file, facturXml(i));
    execFileSync('xmllint', ['--noout', file]);
    const x = cii(file);
    assert.equal(x.number, i.number, 'BT-1');
    assert.equal(x.date, i.issueDate.replace(/-/g, ''), 'BT-2');
    assert.equal(x.typeCode, i.kind === 'credit_note' ? '381' : '380', 'BT-3');
    assert.equal(x.currency, i.currency, 'BT-5');
    assert.equal(x.seller, i.seller.name, 'BT-27');
    assert.equal(x.buyer, i.buyer.name, 'BT-44');
    const sign = i.kind === 'credit_note' ? -1 : 1;
    assert.equal(x.grandTotal, (sign * i.totalCents / 100).toFixed(2), 'BT-112');
    assert.equal(x.taxTotal, (sign * i.vatCents / 100).toFixed(2), 'BT-110');
    assert.equal(x.taxBasis, (sign * i.totalExCents / 100).toFixed(2), 'BT-109');
    assert.equal(x.breakdownTax.reduce((s, v) => s + Math.round(Number(v) * 100), 0), sign * i.vatCents + 0, 'BG-23 adds up to BT-110');
    const exempt = i.mentions.find((m) => /293 B|261-7-1°/.test(m));
    assert.equal(x.exemptionReason, exempt ?? '', 'BT-120 for franchise and non-profit');
    if (exempt) assert.deepEqual(x.categories, ['E']);
    if (i.credits) assert.equal(x.precedingInvoice, i.credits.number, 'BT-25');
  }
});

test('a proforma stays a plain PDF; with the option an invoice is a PDF/A-3 carrying its XML', async () => {
  const i = JSON.parse(readFileSync(new URL('invoice-fr-franchise/input.json', golden('facturx')), 'utf8')) as InvoiceView;
  const proforma = path.join(work, 'proforma.pdf');
  writeFileSync(proforma, await invoicePdf({ ...i, kind: 'proforma', number: 'P2026-000001' }, { facturX: true }));
  assert.match(execFileSync('pdfdetach', ['-list', proforma], { encoding: 'utf8' }), /^0 embedded files/);
  const plain = path.join(work, 'plain.pdf');
  writeFileSync(plain, await invoicePdf(i));
  assert.match(execFileSync('pdfdetach', ['-list', plain], { encoding: 'utf8' }), /^0 embedded files/, 'off by default');
  const fx = path.join(work, 'fx.pdf');
  writeFileSync(fx, await invoicePdf(i, { facturX: true }));
  execFileSync('pdfdetach', ['-savefile', 'factur-x.xml', '-o', path.join(work, 'out.xml'), fx]);
  assert.equal(readFileSync(path.join(work, 'out.xml'), 'utf8'), facturXml(i));
});
