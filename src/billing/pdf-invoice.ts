// The PDF of an invoice (pdfkit, in memory): the blocks of render-invoice.ts laid out on an A4 page,
// in DejaVu Sans (Debian's fonts-dejavu-core, embedded: names in any Latin, Greek or Cyrillic
// script print as typed), or the standard Helvetica where that font is missing (Western European
// letters only). Its dates are the document's own, so the same invoice always gives the same text.
// With the seller's Factur-X option, an invoice or a credit note is a PDF/A-3 carrying its EN 16931
// XML (pdf-facturx.ts) — in DejaVu only: PDF/A embeds every font, and Helvetica is not embedded.
// An invoice payable by transfer gets its EPC QR code, drawn as vector squares (error correction M).
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { InvoiceView } from './model.js';
import { invoiceDocument } from './render-invoice.js';
import { facturXDocument } from './pdf-facturx.js';
import { isFacturX } from './render-facturx.js';

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;
/** x and width of the five columns of the lines' table */
const COLUMNS: Array<[number, number, 'left' | 'right']> = [[0, 215, 'left'], [215, 35, 'right'], [250, 95, 'right'], [345, 55, 'right'], [400, 95, 'right']];

const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans';
const embedded = existsSync(`${DEJAVU}.ttf`) && existsSync(`${DEJAVU}-Bold.ttf`);
const fonts = embedded ? { regular: `${DEJAVU}.ttf`, bold: `${DEJAVU}-Bold.ttf` } : { regular: 'Helvetica', bold: 'Helvetica-Bold' };

/** Whether the PDF of this document is a Factur-X one, under the seller's option (and with embedded fonts). */
export const facturXPdf = (i: InvoiceView, option: boolean) => option && embedded && isFacturX(i);

export function invoicePdf(i: InvoiceView, opts: { facturX?: boolean } = {}): Promise<Buffer> {
  const d = invoiceDocument(i);
  const issued = new Date(i.issuedAt);
  const options: PDFKit.PDFDocumentOptions = {
    size: 'A4', margin: MARGIN, lang: i.locale,
    info: { Title: d.title, Author: i.seller.name, Subject: d.title, Creator: 'Abri', Producer: 'Abri', CreationDate: issued, ModDate: issued },
  };
  const pdf = facturXPdf(i, !!opts.facturX) ? facturXDocument(i, options) : new PDFDocument(options);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  pdf.font(fonts.bold).fontSize(10).text(d.seller[0] ?? '', MARGIN, MARGIN, { width: WIDTH / 2 });
  pdf.font(fonts.regular).fontSize(9).text(d.seller.slice(1).join('\n'), { width: WIDTH / 2 });
  const afterSeller = pdf.y;
  pdf.font(fonts.bold).fontSize(10).text(d.buyer[0] ?? '', MARGIN + WIDTH / 2 + 20, MARGIN + 60, { width: WIDTH / 2 - 20 });
  pdf.font(fonts.regular).fontSize(9).text(d.buyer.slice(1).join('\n'), { width: WIDTH / 2 - 20 });

  let y = Math.max(afterSeller, pdf.y) + 30;
  pdf.font(fonts.bold).fontSize(16).text(d.title, MARGIN, y);
  y = pdf.y + 8;
  for (const [k, v] of d.facts) {
    pdf.font(fonts.regular).fontSize(9).text(`${k}${i.locale === 'fr' ? ' :' : ':'} ${v}`, MARGIN, y, { width: WIDTH });
    y = pdf.y + 2;
  }

  y += 16;
  const row = (cells: string[], bold: boolean) => {
    pdf.font(bold ? fonts.bold : fonts.regular).fontSize(9);
    let bottom = y;
    cells.forEach((cell, n) => {
      const [x, w, align] = COLUMNS[n]!;
      pdf.text(cell, MARGIN + x, y, { width: w, align });
      bottom = Math.max(bottom, pdf.y);
    });
    y = bottom + 6;
  };
  row(d.head, true);
  pdf.moveTo(MARGIN, y - 3).lineTo(MARGIN + WIDTH, y - 3).stroke();
  for (const r of d.rows) row(r, false);
  pdf.moveTo(MARGIN, y - 3).lineTo(MARGIN + WIDTH, y - 3).stroke();

  y += 6;
  d.totals.forEach(([k, v], n) => {
    const last = n === d.totals.length - 1;
    pdf.font(last ? fonts.bold : fonts.regular).fontSize(last ? 11 : 9);
    pdf.text(k, MARGIN + 250, y, { width: 150, align: 'right' });
    pdf.text(v, MARGIN + 400, y, { width: 95, align: 'right' });
    y = pdf.y + 4;
  });

  y += 24;
  if (d.transfer.length) y = transferBlock(pdf, d.transfer, d.epc, y) + 16;
  pdf.font(fonts.regular).fontSize(8);
  for (const m of d.mentions) {
    pdf.text(m, MARGIN, y, { width: WIDTH });
    y = pdf.y + 4;
  }
  pdf.end();
  return done;
}

const QR_SIZE = 120;

/** The transfer's details on the left, its QR code on the right; answers the y below both. */
function transferBlock(pdf: PDFKit.PDFDocument, lines: string[], epc: string | null, top: number): number {
  const [title, ...rest] = lines;
  pdf.font(fonts.bold).fontSize(10).text(title ?? '', MARGIN, top, { width: WIDTH - QR_SIZE - 20 });
  pdf.font(fonts.regular).fontSize(9).text(rest.join('\n'), { width: WIDTH - QR_SIZE - 20 });
  const textBottom = pdf.y;
  if (!epc) return textBottom;
  const { modules } = QRCode.create(epc, { errorCorrectionLevel: 'M' });
  const quiet = 4; // modules of white around the code, as scanners need
  const cell = QR_SIZE / (modules.size + 2 * quiet);
  const x0 = MARGIN + WIDTH - QR_SIZE;
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (modules.get(r, c)) pdf.rect(x0 + (c + quiet) * cell, top + (r + quiet) * cell, cell, cell);
    }
  }
  pdf.fill('#000000');
  return Math.max(textBottom, top + QR_SIZE);
}
