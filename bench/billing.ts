// invoice-pdf: invoices rendered to PDF per second (what the download route does after its read),
// for a two-party, one-line invoice with three legal mentions. Floor, in the same run: pdfkit
// writing a one-page document with a single line of text (the cost of a PDF at all).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { invoicePdf } from '../src/billing/pdf-invoice.js';
import type { InvoiceView } from '../src/billing/model.js';
import type { Benchmark } from './run.js';

const COUNT = 300;
const invoice = JSON.parse(readFileSync(new URL('../test/golden/billing/invoice-fr-franchise/input.json', import.meta.url), 'utf8')) as InvoiceView;

function floorPdf(): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));
  pdf.font('Helvetica').fontSize(9).text(invoice.number);
  pdf.end();
  return done;
}

async function rate(make: () => Promise<Buffer>) {
  for (let i = 0; i < 20; i++) await make(); // warm up
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < COUNT; i++) bytes += (await make()).length;
  const ms = performance.now() - t0;
  return { perSecond: Math.round((COUNT / ms) * 1000), msEach: Math.round((ms / COUNT) * 100) / 100, bytesEach: Math.round(bytes / COUNT) };
}

export const invoicePdfBench: Benchmark = {
  name: 'invoice-pdf',
  description: `${COUNT} invoice PDFs rendered one after the other (pdfkit, in memory), against a one-line pdfkit page`,
  async run(progress) {
    progress('invoices');
    const invoices = await rate(() => invoicePdf(invoice));
    progress('floor');
    const floor = await rate(floorPdf);
    return { count: COUNT, invoices, floor, ratioToFloor: Math.round((floor.perSecond / invoices.perSecond) * 100) / 100 };
  },
};

const SERVICES = Number(process.env.ABRI_BENCH_RENEWALS ?? 10_000);

/**
 * renewal-run-10000: the renewal job issuing the first invoice of 10,000 services (each its own
 * change: number, frozen parties, audit entry, e-mail queued), on the embedded database. Floor, in
 * the same run: the same number of invoice rows inserted by one SQL statement.
 */
export const renewalRunBench: Benchmark = {
  name: `renewal-run-${SERVICES}`,
  description: `the renewal job invoicing ${SERVICES} services, against the same invoice rows inserted by one SQL statement`,
  async run(progress) {
    const { startTestManager } = await import('../test/helpers/manager.js');
    const { runRenewals } = await import('../src/billing/renewals.js');
    const { sql } = await import('kysely');
    const m = await startTestManager({ settings: { ABRI_UID_MAX: String(100_000 + SERVICES + 10) } });
    try {
      const db = m.manager.app.db;
      const offer = (await m.api('POST', '/api/v1/offers', { name: 'Bench', priceCents: 500 }, { unchecked: true })).body;
      const customer = (await m.api('POST', '/api/v1/customers', { name: 'Bench', contactEmail: 'bench@abri.test', postalAddress: '1 rue du Banc' }, { unchecked: true })).body;
      progress(`inserting ${SERVICES} hostings`);
      await sql`INSERT INTO hostings (customer_id, offer_id, name, uid, home, php_version)
        SELECT ${customer.id}::uuid, ${offer.id}::uuid, 'h' || g, g, '/home/h' || g, '8.2' FROM generate_series(100000, ${100_000 + SERVICES - 1}) g`.execute(db);
      await m.api('PATCH', '/api/v1/billing/seller', { name: 'Bench Host', address: '1 place du Banc' }, { unchecked: true });
      progress('renewal run');
      const t0 = performance.now();
      const { issued, failed } = await runRenewals(m.manager.app, { now: m.manager.app.clock.now(), log: m.manager.app.log });
      const ms = performance.now() - t0;
      progress('floor');
      const f0 = performance.now();
      await sql`INSERT INTO invoices (kind, series, seq, number, customer_id, hosting_id, issued_at, issue_date, payment_due, currency, locale, lines, total_ex_cents, vat_cents, total_cents, seller, buyer, mentions)
        SELECT 'proforma', 'P1999', row_number() OVER (), 'P1999-' || lpad((row_number() OVER ())::text, 6, '0'), customer_id, id, now(), current_date, current_date, 'EUR', 'fr', '[]', 500, 0, 500, '{}', '{}', '[]' FROM hostings`.execute(db);
      const floorMs = performance.now() - f0;
      return { services: SERVICES, issued: issued.length, failed, seconds: Math.round(ms) / 1000, perSecond: Math.round((issued.length / ms) * 1000), floor: { seconds: Math.round(floorMs) / 1000, perSecond: Math.round((SERVICES / floorMs) * 1000) } };
    } finally {
      await m.close();
    }
  },
};
