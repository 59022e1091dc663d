// Golden files of what an invoice says (test/golden/billing/<case>/input.json: the invoice as the API
// shows it → document.txt, the blocks the PDF lays out), in French and English, invoice, proforma
// and credit note, with and without VAT; and the pure rules of periods, VAT and numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { goldenTests } from './harness/golden.js';
import { invoicePdf } from '../src/billing/pdf-invoice.js';
import { documentText, formatMoney, invoiceDocument } from '../src/billing/render-invoice.js';
import { addCycle, addDays, creditLines, lineOf, numberOf, renewalDay, seriesOf, totalsOf, vatOf, vatRateOf } from '../src/billing/rules.js';
import type { InvoiceView } from '../src/billing/model.js';

goldenTests('billing', (i: InvoiceView) => [{ path: 'document.txt', content: documentText(invoiceDocument(i)), mode: 0o644 }]);

test('the PDF prints names in any Latin or Cyrillic script as typed (pdftotext reads them back)', async () => {
  const input = JSON.parse(readFileSync(new URL('golden/billing/invoice-fr-franchise/input.json', import.meta.url), 'utf8')) as InvoiceView;
  const pdf = await invoicePdf({ ...input, buyer: { ...input.buyer, name: 'Łódź Œuvres — Жук' } });
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
  for (const expected of ['Łódź Œuvres — Жук', 'FACTURE F2026-000123', '12,50 €', 'TVA non applicable, art. 293 B du CGI']) assert.ok(text.includes(expected), `"${expected}" in:\n${text}`);
});

test('billing periods: a cycle later, the end of a shorter month, a year; days before', () => {
  assert.equal(addCycle('2026-01-15', 'monthly'), '2026-02-15');
  assert.equal(addCycle('2026-01-31', 'monthly'), '2026-02-28');
  assert.equal(addCycle('2028-01-31', 'monthly'), '2028-02-29');
  assert.equal(addCycle('2026-11-30', 'quarterly'), '2027-02-28');
  assert.equal(addCycle('2026-12-31', 'monthly'), '2027-01-31');
  assert.equal(addCycle('2028-02-29', 'yearly'), '2029-02-28');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(renewalDay('2026-04-10', 10), '2026-03-31');
});

test('VAT: the offer\'s rate or the seller\'s default, none when exempt, rounded half up', () => {
  assert.equal(vatRateOf({ vatMode: 'vat', defaultVatRateBp: 2000 }, null), 2000);
  assert.equal(vatRateOf({ vatMode: 'vat', defaultVatRateBp: 2000 }, 550), 550);
  assert.equal(vatRateOf({ vatMode: 'franchise', defaultVatRateBp: 2000 }, 550), 0);
  assert.equal(vatRateOf({ vatMode: 'nonprofit', defaultVatRateBp: 2000 }, null), 0);
  assert.equal(vatOf(1210, 550), 67); // 66.55 → 67
  assert.equal(vatOf(1000, 2000), 200);
  assert.equal(vatOf(-1210, 550), -67, 'a credit note\'s VAT mirrors the invoice\'s');
  const lines = [lineOf('a', 2, 999, 2000), lineOf('b', 1, 1, 2000)];
  assert.deepEqual(totalsOf(lines), { totalExCents: 1999, vatCents: 400, totalCents: 2399 });
  assert.deepEqual(totalsOf(creditLines(lines)), { totalExCents: -1999, vatCents: -400, totalCents: -2399 });
});

test('series and numbers: one series per kind and year, six digits', () => {
  assert.equal(numberOf(seriesOf('invoice', '2026-12-31'), 123), 'F2026-000123');
  assert.equal(numberOf(seriesOf('credit_note', '2027-01-01'), 1), 'A2027-000001');
  assert.equal(numberOf(seriesOf('proforma', '2026-06-01'), 42), 'P2026-000042');
  assert.equal(formatMoney(123450, 'EUR', 'fr'), '1 234,50 €');
  assert.equal(formatMoney(-1250, 'EUR', 'en'), '-€12.50');
});
