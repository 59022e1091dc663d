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
