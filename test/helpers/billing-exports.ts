// Reading the accounting exports and the Factur-X XML back, as an accountant's tool would: the FEC's
// entries (grouped by EcritureNum, amounts in cents), the CSV (RFC 4180), and the EN 16931 business
// terms of a CII file, read by xmllint's XPath (Debian libxml2-utils), not by our own code.
import { execFileSync } from 'node:child_process';

export interface FecLine {
  row: Record<string, string>;
  debit: number;
  credit: number;
}

const cents = (s: string) => {
  if (!/^\d+,\d{2}$/.test(s)) throw new Error(`"${s}" is not an amount with a decimal comma`);
  return Number(s.replace(',', ''));
};

/** The FEC's header and its lines per EcritureNum. */
export function fecEntries(text: string, separator: '\t' | '|') {
  const [head, ...rows] = text.split('\n').filter(Boolean);
  const header = head!.split(separator);
  const entries = new Map<string, FecLine[]>();
  for (const r of rows) {
    const cells = r.split(separator);
    if (cells.length !== header.length) throw new Error(`a line of ${cells.length} columns: ${r}`);
    const row = Object.fromEntries(header.map((h, n) => [h, cells[n]!]));
    const lines = entries.get(row.EcritureNum!) ?? [];
    lines.push({ row, debit: cents(row.Debit!), credit: cents(row.Credit!) });
    entries.set(row.EcritureNum!, lines);
  }
  return { header, entries };
}

/** RFC 4180 CSV with a header row → one object per row. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let n = 0; n < text.length; n++) {
    const c = text[n]!;
    if (quoted) {
      if (c === '"' && text[n + 1] === '"') (cell += '"'), n++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[n + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), n++;
    } else cell += c;
  }
  if (cell || row.length) throw new Error('the CSV does not end with CRLF');
  const [header, ...body] = rows;
  return body.map((r) => {
    if (r.length !== header!.length) throw new Error(`a row of ${r.length} cells: ${r.join(',')}`);
    return Object.fromEntries(header!.map((h, n) => [h, r[n]!]));
  });
}

const path = (...names: string[]) => names.map((n) => `/*[local-name()='${n}']`).join('').replace(/^\//, '//');

function xpath(file: string, expr: string): string {
  return execFileSync('xmllint', ['--xpath', expr, file], { encoding: 'utf8' }).replace(/\n$/, '');
}

/** The business terms of a CII invoice file the tests check. */
export function cii(file: string) {
  const one = (...names: string[]) => xpath(file, `string(${path(...names)})`);
  const all = (...names: string[]) => {
    const n = Number(xpath(file, `count(${path(...names)})`));
    return Array.from({ length: n }, (_, k) => xpath(file, `string((${path(...names)})[${k + 1}])`));
  };
  const settlement = ['SupplyChainTradeTransaction', 'ApplicableHeaderTradeSettlement'];
  const totals = [...settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation'];
  return {
    number: one('ExchangedDocument', 'ID'),
    typeCode: one('ExchangedDocument', 'TypeCode'),
    date: one('ExchangedDocument', 'IssueDateTime', 'DateTimeString'),
    currency: one(...settlement, 'InvoiceCurrencyCode'),
    seller: one('SellerTradeParty', 'Name'),
    buyer: one('BuyerTradeParty', 'Name'),
    taxBasis: one(...totals, 'TaxBasisTotalAmount'),
    taxTotal: one(...totals, 'TaxTotalAmount'),
    grandTotal: one(...totals, 'GrandTotalAmount'),
    breakdownTax: all(...settlement, 'ApplicableTradeTax', 'CalculatedAmount'),
    categories: all(...settlement, 'ApplicableTradeTax', 'CategoryCode'),
    exemptionReason: one(...settlement, 'ApplicableTradeTax', 'ExemptionReason'),
    precedingInvoice: one(...settlement, 'InvoiceReferencedDocument', 'IssuerAssignedID'),
  };
}
