// Accounting exports and Factur-X against a real manager, on PGlite and PostgreSQL: the CSV of a range
// parsed back matches the invoices the API lists (proformas left out); the FEC's every entry balances
// and a credit note reverses its invoice; payments are the bank journal BQ and settle invoices whose
// customer lines are lettered (AA, AB… per customer), a later payment leaving the range's file as it
// was; bad ranges are problems; only staff export; a customer's
// name cannot run as a formula. With the seller's Factur-X option, the PDF a customer downloads is a
// PDF/A-3 (pdfinfo -meta: PDF/A part 3, the Factur-X XMP) whose factur-x.xml (taken out by pdfdetach,
// poppler) is well-formed for xmllint and carries the EN 16931 business terms, BT-120 when exempt.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { cii, fecEntries, parseCsv } from './helpers/billing-exports.js';
import { billedCustomer, DAY, fillSeller, is, pricedOffer } from './helpers/billing.js';
import type { InvoiceView as Invoice } from '../src/billing/model.js';
import { vatMention } from '../src/billing/rules.js';

/** The auxiliary account of the bank entry of a FEC's entries. */
const linesAux = (entries: ReturnType<typeof fecEntries>['entries']) => [...entries.values()].flat().find((l) => l.row.JournalCode === 'BQ' && l.row.CompAuxNum)!.row.CompAuxNum;
const work = mkdtempSync(path.join(tmpdir(), 'abri-exports-'));
after(() => rmSync(work, { recursive: true, force: true }));

for (const database of testDatabases()) describe(`billing exports (${database.name})`, () => {
  const clock = new ManualClock('2026-03-10T08:00:00Z');
  let m: TestManager;
  let a: { customer: string; hosting: string; token: string };
  let b: { customer: string; hosting: string; token: string };
  const list = async (q = '') => is(await m.api('GET', `/api/v1/invoices?limit=100${q}`), 200).items as Invoice[];
  const issue = async (hostingId: string, kind = 'invoice') => is(await m.api('POST', '/api/v1/invoices', { hostingId, kind }), 201) as Invoice;
  const exportOf = (what: string, query: string, token?: string | null) => m.api('GET', `/api/v1/billing/exports/${what}?${query}`, undefined, { token });
  const pdfOf = async (id: string, token: string) => {
    const res = await fetch(`${m.url}/api/v1/invoices/${id}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const file = path.join(work, `${database.name}-${id}.pdf`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  };
  const attachment = (pdf: string) => {
    const xml = `${pdf}.xml`;
    execFileSync('pdfdetach', ['-savefile', 'factur-x.xml', '-o', xml, pdf]);
    execFileSync('xmllint', ['--noout', xml]); // well-formed, or this throws
    return xml;
  };

  before(async () => {
    m = await startTestManager({ database, clock });
    await m.manager.jobs.stop(); // the renewal job would invoice the services by itself when the clock moves: here staff issue every document
    const offer = await pricedOffer(m, 'Pro', 1200, { vatRateBp: 2000 });
    a = await billedCustomer(m, 'Alpha & Fils', 'owner@alpha.test', offer);
    b = await billedCustomer(m, '=SUM(1;2) | Bravo', 'owner@bravo.test', offer);
    await fillSeller(m, { registration: 'W691234567', vatMode: 'vat', vatNumber: 'FR12345678901', email: 'tresorier@hebergeurs.test' });
  });
  after(() => m?.close());

  test('the settings: FEC accounts 411/706/44571 and Factur-X off by default, validated', async () => {
    const s = is(await m.api('GET', '/api/v1/billing/seller'), 200);
    assert.deepEqual([s.customerAccount, s.revenueAccount, s.vatAccount, s.siren, s.facturX], ['411', '706', '44571', '', false]);
    assert.equal(s.bankAccount, '512');
    is(await m.api('PATCH', '/api/v1/billing/seller', { customerAccount: '411\t|x' }), 400);
    is(await m.api('PATCH', '/api/v1/billing/seller', { bankAccount: 'banque' }), 400);
    is(await m.api('PATCH', '/api/v1/billing/seller', { siren: '12345' }), 400);
    is(await m.api('PATCH', '/api/v1/billing/seller', { facturX: 'yes' }), 400);
    is(await m.api('PATCH', '/api/v1/billing/seller', { siren: '552100554' }, { token: a.token }), 403, 'auth.staff_only');
  });

  test('the CSV of a range, parsed back, matches the invoices and credit notes issued in it', async () => {
    const first = await issue(a.hosting);
    await issue(b.hosting);
    await issue(b.hosting, 'proforma');
    clock.advance(2 * DAY);
    is(await m.api('POST', `/api/v1/invoices/${first.id}/credit`, { reason: 'Erreur de tarif' }), 201);
    await issue(a.hosting); // the period again, after its credit
    clock.advance(30 * DAY); // issued in April: outside March's exports
    is(await m.api('PATCH', `/api/v1/hostings/${b.hosting}/service`, { dueDate: '2026-05-10' }), 200);
    await issue(b.hosting);

    const res = is(await exportOf('invoices.csv', 'from=2026-03-01&to=2026-03-31'), 200) as string;
    const rows = parseCsv(res);
    const march = (await list()).filter((i) => i.kind !== 'proforma' && i.issueDate <= '2026-03-31');
    assert.equal(march.length, 4);
    assert.deepEqual(rows.map((r) => r.number).sort(), march.map((i) => i.number).sort(), 'every invoice and credit note of March, once (one VAT rate each), no proforma');
    for (const i of march) {
      const r = rows.find((x) => x.number === i.number)!;
      assert.deepEqual([r.kind, r.date, r.customer.replace(/^'/, ''), r.vatRate, r.currency, r.credits], [i.kind, i.issueDate, i.buyer.name, '20', 'EUR', i.credits?.number ?? '']);
      assert.deepEqual([r.exVat, r.vat, r.total].map((v) => Math.round(Number(v) * 100)), [i.totalExCents, i.vatCents, i.totalCents]);
    }
    assert.ok(rows.some((r) => r.customer === '\'=SUM(1;2) | Bravo'), 'a name that looks like a formula stays text');
    assert.equal(parseCsv(is(await exportOf('invoices.csv', 'from=2026-04-01&to=2026-04-30'), 200)).length, 1);
    assert.equal(parseCsv(is(await exportOf('invoices.csv', 'from=2025-01-01&to=2025-12-31'), 200)).length, 0, 'a range with nothing: the header alone');
  });

  test('the FEC: named <SIREN>FEC<to>.txt, every entry balanced, a credit note reversing its invoice', async () => {
    is(await exportOf('fec', 'from=2026-03-01&to=2026-03-31'), 409, 'billing.siren_missing'); // an RNA number is no SIREN
    is(await m.api('PATCH', '/api/v1/billing/seller', { siren: '552100554', customerAccount: '411000' }), 200);
    const answer = await exportOf('fec', 'from=2026-03-01&to=2026-03-31');
    is(answer, 200);
    assert.match(answer.headers.get('content-disposition') ?? '', /filename="552100554FEC20260331\.txt"/);
    const { header, entries } = fecEntries(answer.body as string, '\t');
    assert.equal(header.join('|'), 'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise');
    assert.equal(entries.size, 4);
    for (const [num, lines] of entries) {
      assert.equal(lines.reduce((s, l) => s + l.debit, 0), lines.reduce((s, l) => s + l.credit, 0), `entry ${num} balances`);
    }
    const march = (await list()).filter((i) => i.kind !== 'proforma' && i.issueDate <= '2026-03-31');
    const credit = march.find((i) => i.kind === 'credit_note')!;
    const linesOf = (ref: string) => [...entries.values()].find((ls) => ls[0]!.row.PieceRef === ref)!;
    const sides = (ref: string) => linesOf(ref).map((l) => `${l.row.CompteNum} ${l.debit}/${l.credit}`);
    assert.deepEqual(sides(credit.credits!.number), ['411000 1440/0', '706 0/1200', '44571 0/240']);
    assert.deepEqual(sides(credit.number), ['411000 0/1440', '706 1200/0', '44571 240/0'], 'the credit note reverses it');
    const customerNumber = (await m.api('GET', `/api/v1/customers/${a.customer}`)).body.number;
    assert.equal(linesOf(credit.number)[0]!.row.CompAuxNum, `C${customerNumber}`);
    assert.equal(linesOf(credit.number)[0]!.row.EcritureDate, credit.issueDate.replace(/-/g, ''));
    const pipe = is(await exportOf('fec', 'from=2026-03-01&to=2026-03-31&separator=pipe'), 200) as string;
    assert.equal(fecEntries(pipe, '|').entries.size, 4, 'the same entries with pipes (a | in a name is a space)');
  });

  test('the FEC: payments in the bank journal BQ, settled invoices lettered per customer; the same range gives the same file', async () => {
    is(await m.api('PATCH', '/api/v1/billing/seller', { bankAccount: '5121' }), 200);
    const march = (await list()).filter((i) => i.kind === 'invoice' && i.issueDate <= '2026-03-31');
    const [a1, a2] = march.filter((i) => i.customerId === a.customer).sort((x, y) => x.number.localeCompare(y.number));
    const b1 = march.find((i) => i.customerId === b.customer)!;
    assert.ok(a1!.creditedBy && !a2!.creditedBy);
    const pay = (i: Invoice, amountCents: number, receivedOn?: string) => m.api('POST', `/api/v1/invoices/${i.id}/payments`, { amountCents, method: 'transfer', reference: i.paymentReference, receivedOn });
    is(await pay(a2!, 1000, '2026-03-20'), 201);
    is(await pay(a2!, 440, '2026-03-25'), 201);
    is(await pay(b1, 400, '2026-03-21'), 201);
    const fec = is(await exportOf('fec', 'from=2026-03-01&to=2026-03-31'), 200) as string;
    const { entries } = fecEntries(fec, '\t');
    assert.equal(entries.size, 4 + 3, 'the documents and the three payments');
    for (const [num, lines] of entries) assert.equal(lines.reduce((s, l) => s + l.debit, 0), lines.reduce((s, l) => s + l.credit, 0), `entry ${num} balances`);
    const bank = [...entries.values()].filter((ls) => ls[0]!.row.JournalCode === 'BQ');
    assert.deepEqual(bank.map((ls) => [ls[0]!.row.EcritureNum, ls[0]!.row.EcritureDate, ls[0]!.row.PieceRef]), [['BQ000001', '20260320', a2!.number], ['BQ000002', '20260321', b1.number], ['BQ000003', '20260325', a2!.number]]);
    assert.deepEqual(bank[0]!.map((l) => `${l.row.CompteNum} ${l.debit}/${l.credit}`), ['5121 1000/0', '411000 0/1000'], 'the bank debited, the customer credited');
    const letters = (ref: string) => [...entries.values()].flat().filter((l) => l.row.CompteNum === '411000' && l.row.PieceRef === ref).map((l) => `${l.row.EcritureLet}@${l.row.DateLet}`);
    assert.deepEqual(letters(a1!.number), ['AA@20260312'], 'credited in full: lettered with its credit note');
    assert.deepEqual(letters(a1!.creditedBy!.number), ['AA@20260312']);
    assert.deepEqual(letters(a2!.number), ['AB@20260325', 'AB@20260325', 'AB@20260325'], 'its entry and both payments, lettered once paid in full');
    assert.deepEqual(letters(b1.number), ['@', '@'], 'paid in part: not lettered');
    is(await pay(b1, 1040), 201); // in April: the rest of B's invoice
    assert.equal(is(await exportOf('fec', 'from=2026-03-01&to=2026-03-31'), 200), fec, 'a payment after the range changes nothing in it');
    const april = fecEntries(is(await exportOf('fec', 'from=2026-04-01&to=2026-04-30'), 200) as string, '\t').entries;
    const rest = [...april.values()].find((ls) => ls[0]!.row.JournalCode === 'BQ')!;
    assert.deepEqual(rest.map((l) => `${l.row.CompteNum} ${l.row.CompAuxNum} ${l.debit}/${l.credit} ${l.row.EcritureLet}`), ['5121  1040/0 ', `411000 ${linesAux(april)} 0/1040 AA`], 'B\'s own letters start at AA');
  });

  test('bad ranges are problems; only staff export', async () => {
    for (const what of ['invoices.csv', 'fec']) {
      const reversed = is(await exportOf(what, 'from=2026-03-31&to=2026-03-01'), 400, 'billing.export_range');
      assert.deepEqual([reversed.params.from, reversed.params.to], ['2026-03-31', '2026-03-01']);
      assert.match(reversed.detail, /before it starts/);
      is(await exportOf(what, 'from=2020-01-01&to=2026-12-31'), 400, 'billing.export_range');
      const malformed = await exportOf(what, 'from=2026-02-30x&to=2026-03-01');
      is(malformed, 400);
      assert.match(malformed.headers.get('content-type') ?? '', /^application\/problem\+json/);
      is(await exportOf(what, 'to=2026-03-01'), 400);
      is(await exportOf(what, 'from=2026-03-01&to=2026-03-31', a.token), 403, 'auth.staff_only');
      is(await exportOf(what, 'from=2026-03-01&to=2026-03-31', null), 401);
    }
  });

  test('Factur-X: the invoice a customer downloads is a PDF/A-3 carrying its EN 16931 XML', async () => {
    const inv = (await list(`&customerId=${a.customer}&kind=invoice`)).find((i) => !i.creditedBy)!;
    const plain = await pdfOf(inv.id, a.token);
    assert.match(execFileSync('pdfdetach', ['-list', plain], { encoding: 'utf8' }), /^0 embedded files/, 'off by default: a plain PDF');
    is(await m.api('PATCH', '/api/v1/billing/seller', { facturX: true }), 200);
    const pdf = await pdfOf(inv.id, a.token);
    const meta = execFileSync('pdfinfo', ['-meta', pdf], { encoding: 'utf8' });
    for (const marker of ['<pdfaid:part>3</pdfaid:part>', '<pdfaid:conformance>B</pdfaid:conformance>', '<fx:DocumentType>INVOICE</fx:DocumentType>',
      '<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>', '<fx:Version>1.0</fx:Version>', '<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>',
      '<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>']) {
      assert.ok(meta.includes(marker), `${marker} in the XMP:\n${meta}`);
    }
    assert.match(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), /PDF version:\s+1\.7/);
    assert.match(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }), new RegExp(inv.number), 'still the same page');
    const x = cii(attachment(pdf));
    assert.deepEqual(
      [x.number, x.typeCode, x.date, x.currency, x.seller, x.buyer, x.taxBasis, x.taxTotal, x.grandTotal, x.categories.join()],
      [inv.number, '380', inv.issueDate.replace(/-/g, ''), 'EUR', 'Hébergeurs Associés', 'Alpha & Fils', '12.00', '2.40', '14.40', 'S'],
    );
    assert.equal(x.exemptionReason, '');

    const credit = (await list(`&customerId=${a.customer}&kind=credit_note`))[0]!;
    const c = cii(attachment(await pdfOf(credit.id, a.token)));
    assert.deepEqual([c.typeCode, c.grandTotal, c.precedingInvoice], ['381', '14.40', credit.credits!.number], 'a credit note: type 381, positive, the invoice it credits');
    const proforma = (await list('&kind=proforma'))[0]!;
    assert.match(execFileSync('pdfdetach', ['-list', await pdfOf(proforma.id, b.token)], { encoding: 'utf8' }), /^0 embedded files/, 'a proforma is no Factur-X');
  });

  test('Factur-X of an exempt seller: category E with the exemption reason (BT-120)', async () => {
    const last = (await list(`&customerId=${b.customer}&kind=invoice`))[0]!;
    is(await m.api('POST', `/api/v1/invoices/${last.id}/credit`, { reason: 'Passage en franchise' }), 201);
    is(await m.api('PATCH', '/api/v1/billing/seller', { vatMode: 'franchise', vatNumber: '' }), 200);
    const inv = await issue(b.hosting);
    assert.equal(inv.vatCents, 0);
    const x = cii(attachment(await pdfOf(inv.id, b.token)));
    assert.equal(inv.locale, 'en', 'in the language of the customer\'s owner');
    assert.deepEqual([x.categories.join(), x.exemptionReason, x.taxTotal, x.grandTotal, x.buyer], ['E', vatMention('franchise', 'en'), '0.00', '12.00', '=SUM(1;2) | Bravo']);
    is(await m.api('GET', `/api/v1/invoices/${inv.id}/pdf`, undefined, { token: a.token }), 404, 'invoice.not_found');
  });
});
