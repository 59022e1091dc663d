// The pure rules of payments and the transfer block of the PDF: RF creditor references (ISO 11649
// vectors, check digits refused when wrong, an invoice's number and back), IBANs (mod 97, country
// lengths), the invoice status from what was paid, and the EPC QR code printed on an invoice's PDF:
// rendered by pdftoppm, decoded by zbarimg (zbar-tools), compared field by field with EPC069-12; it
// carries the balance (a partly paid invoice asks for what is left; a paid or credited one has none).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { invoicePdf } from '../src/billing/pdf-invoice.js';
import { compactReference, epcPayload, formatRf, ibanProblem, invoiceNumberOfRf, invoiceRf, isRfReference, paymentState, rfReference } from '../src/billing/rules-payments.js';
import type { InvoiceView } from '../src/billing/model.js';

const work = mkdtempSync(path.join(tmpdir(), 'abri-payments-'));
after(() => rmSync(work, { recursive: true, force: true }));
const golden = (name: string) => JSON.parse(readFileSync(new URL(`golden/billing/${name}/input.json`, import.meta.url), 'utf8')) as InvoiceView;

test('RF creditor references: the ISO 11649 vectors, wrong check digits refused, an invoice number there and back', () => {
  assert.equal(rfReference('539007547034'), 'RF18539007547034');
  assert.equal(rfReference('G72UUR'), 'RF45G72UUR');
  assert.ok(isRfReference('RF18 5390 0754 7034'));
  assert.ok(isRfReference('rf45g72uur'));
  for (const bad of ['RF19539007547034', 'RF18539007547035', 'RF18', 'RF1853900754703412345678901', 'XX18539007547034', 'RF18 5390-0754']) assert.equal(isRfReference(bad), false, bad);
  assert.equal(formatRf('RF18539007547034'), 'RF18 5390 0754 7034');
  assert.equal(compactReference(' rf18 5390\t0754 7034 '), 'RF18539007547034');
  for (const n of ['F2026-000001', 'F2026-000123', 'F2099-999999']) {
    const rf = invoiceRf(n);
    assert.ok(isRfReference(rf), rf);
    assert.equal(invoiceNumberOfRf(formatRf(rf)), n);
  }
  assert.equal(invoiceNumberOfRf('RF18539007547034'), null, 'a valid RF that is no invoice\'s');
  const rf = invoiceRf('F2026-000123');
  assert.equal(invoiceNumberOfRf(rf.slice(0, 2) + String((Number(rf.slice(2, 4)) % 97) + 1).padStart(2, '0') + rf.slice(4)), null, 'check digits off by one');
  assert.throws(() => rfReference('F2026-000123'), /letters and digits/);
});

test('IBANs: the mod-97 check, the country\'s length, SEPA countries only', () => {
  for (const ok of ['FR7630006000011234567890189', 'DE89370400440532013000', 'GB82WEST12345698765432', 'BE68539007547034', 'FR1420041010050500013M02606']) assert.equal(ibanProblem(ok), null, ok);
  assert.match(ibanProblem('FR7630006000011234567890188')!, /mod 97/);
  assert.match(ibanProblem('FR763000600001123456789018')!, /27 characters/);
  assert.match(ibanProblem('US7630006000011234567890189')!, /not a SEPA country/);
  assert.match(ibanProblem('fr7630006000011234567890189')!, /country code/);
});

test('an invoice\'s status from what was paid and what its credit notes credit; proformas and credit notes have none', () => {
  assert.deepEqual(paymentState('invoice', 1200, 0, 0), { status: 'unpaid', paidCents: 0, balanceCents: 1200 });
  assert.deepEqual(paymentState('invoice', 1200, 500, 0), { status: 'partially_paid', paidCents: 500, balanceCents: 700 });
  assert.deepEqual(paymentState('invoice', 1200, 1200, 0), { status: 'paid', paidCents: 1200, balanceCents: 0 });
  assert.deepEqual(paymentState('invoice', 1200, 500, 1200), { status: 'credited', paidCents: 500, balanceCents: -500 });
  // a partial credit lowers what is owed: paid beyond it is due back
  assert.deepEqual(paymentState('invoice', 1200, 0, 200), { status: 'unpaid', paidCents: 0, balanceCents: 1000 });
  assert.deepEqual(paymentState('invoice', 1200, 1000, 200), { status: 'paid', paidCents: 1000, balanceCents: 0 });
  assert.deepEqual(paymentState('invoice', 1200, 1200, 200), { status: 'paid', paidCents: 1200, balanceCents: -200 });
  assert.deepEqual(paymentState('proforma', 1200, 0, 0), { status: null, paidCents: 0, balanceCents: 0 });
  assert.deepEqual(paymentState('credit_note', -1200, 0, 0), { status: null, paidCents: 0, balanceCents: 0 });
});

test('the EPC payload: eleven fields at most, amount with two decimals, the name cut at 70 characters', () => {
  const p = epcPayload({ bic: 'AGRIFRPP', name: `Association ${'x'.repeat(80)}`, iban: 'FR7630006000011234567890189', amountCents: 105, reference: 'rf86 f202 6000 123' });
  const f = p.split('\n');
  assert.deepEqual([f[0], f[1], f[2], f[3], f[4], f[6], f[7], f[8], f[9]], ['BCD', '002', '1', 'SCT', 'AGRIFRPP', 'FR7630006000011234567890189', 'EUR1.05', '', 'RF86F2026000123']);
  assert.equal([...f[5]!].length, 70);
  assert.throws(() => epcPayload({ bic: '', name: 'x', iban: 'FR7630006000011234567890189', amountCents: 0, reference: 'RF18539007547034' }), /0.01/);
});

/** The QR codes zbarimg finds on the PDF's first page, rendered at 200 dpi. */
function qrCodesOf(pdf: Buffer, name: string): string[] {
  const file = path.join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '200', '-png', '-f', '1', '-l', '1', file, path.join(work, name)]);
  const png = readdirSync(work).find((f) => f.startsWith(name) && f.endsWith('.png'))!;
  try {
    const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', '-Sbinary', path.join(work, png)], { encoding: 'utf8' });
    return out ? [out.replace(/\n$/, '')] : [];
  } catch (e) {
    if ((e as { status?: number }).status === 4) return []; // zbarimg: no symbol found
    throw e;
  }
}

test('the PDF of an invoice carries the transfer details and an EPC QR code that decodes field by field', async () => {
  const input = golden('invoice-fr-transfer');
  const pdf = await invoicePdf(input);
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
  for (const s of ['FR76 3000 6000 0112 3456 7890 189', 'AGRIFRPP', 'RF86 F202 6000 123', 'Paiement par virement']) assert.ok(text.includes(s), `"${s}" in:\n${text}`);
  const codes = qrCodesOf(pdf, 'fr-transfer');
  assert.equal(codes.length, 1, 'one QR code on the page');
  const fields = codes[0]!.split(/\r?\n/);
  const want = { service: 'BCD', version: '002', charset: '1', identification: 'SCT', bic: 'AGRIFRPP', name: 'Hébergeurs Associés', iban: 'FR7630006000011234567890189', amount: 'EUR12.50', purpose: '', reference: 'RF86F2026000123' };
  assert.deepEqual(Object.fromEntries(Object.keys(want).map((k, n) => [k, fields[n] ?? '(missing)'])), want);
  assert.ok(fields.length <= 12, 'at most the 12 lines of EPC069-12');
  assert.ok(isRfReference(fields[9]!), 'the reference\'s check digits verify');
  assert.equal(invoiceNumberOfRf(fields[9]!), input.number);
});

test('a partly paid invoice: its QR code and the amount to pay carry the balance; a paid or credited one has no QR code', async () => {
  const partly = golden('invoice-fr-transfer-partly-paid');
  const pdf = await invoicePdf(partly);
  const codes = qrCodesOf(pdf, 'partly-paid');
  assert.equal(codes.length, 1);
  assert.equal(codes[0]!.split(/\r?\n/)[7], 'EUR7.50', 'what is left of 12.50 after 5.00');
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
  for (const s of ['Déjà réglé', '5,00 €', 'Reste à payer', '7,50 €', 'Montant à payer : 7,50 €']) assert.ok(text.includes(s), `"${s}" in:\n${text}`);
  const inPart = golden('invoice-fr-transfer-credited-in-part');
  assert.equal(qrCodesOf(await invoicePdf(inPart), 'credited-in-part')[0]!.split(/\r?\n/)[7], 'EUR8.00', 'the total less its credit and what was paid');
  const paid = await invoicePdf(golden('invoice-fr-transfer-paid'));
  assert.deepEqual(qrCodesOf(paid, 'paid'), [], 'nothing to pay: no QR code');
  const paidText = execFileSync('pdftotext', ['-', '-'], { input: paid, encoding: 'utf8' });
  assert.ok(!paidText.includes('Bénéficiaire') && !paidText.includes('Montant à payer') && paidText.includes('Reste à payer'), paidText);
  const credited = { ...golden('invoice-fr-transfer'), status: 'credited' as const, creditedCents: 1250, balanceCents: 0 };
  assert.deepEqual(qrCodesOf(await invoicePdf(credited), 'credited'), []);
  const refundDue = { ...golden('invoice-fr-transfer-paid'), status: 'credited' as const, creditedCents: 1250, balanceCents: -1250 };
  assert.deepEqual(qrCodesOf(await invoicePdf(refundDue), 'refund-due'), [], 'a refund due is no claim');
});

test('no QR code where no transfer applies: a seller without IBAN, a proforma, another currency than euros', async () => {
  assert.deepEqual(qrCodesOf(await invoicePdf(golden('invoice-fr-franchise')), 'no-iban'), []);
  const usd = await invoicePdf(golden('invoice-en-transfer-usd'));
  assert.deepEqual(qrCodesOf(usd, 'usd'), []);
  assert.ok(execFileSync('pdftotext', ['-', '-'], { input: usd, encoding: 'utf8' }).includes('DE89 3704 0044 0532 0130 00'), 'the IBAN is printed all the same');
  const proforma = { ...golden('invoice-fr-transfer'), kind: 'proforma' as const, number: 'P2026-000001', paymentReference: null, status: null };
  assert.deepEqual(qrCodesOf(await invoicePdf(proforma), 'proforma'), []);
});
