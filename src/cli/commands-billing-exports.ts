// `abri billing export csv|fec` (staff): the invoices and credit notes of a range of days as CSV, or
// the sales journal as a FEC; and the options of `abri billing set` for them (the FEC's accounts and
// SIREN, the Factur-X option).
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { client, oneOf } from './command-kit.js';
import { print } from './output.js';

/** `billing set` options → fields of the seller's settings */
export const exportSettings: Record<string, string> = {
  customerAccount: 'customerAccount', revenueAccount: 'revenueAccount', vatAccount: 'vatAccount', bankAccount: 'bankAccount', siren: 'siren', facturX: 'facturX',
};

export const withExportSettings = (cmd: Command) => cmd
  .option('--customer-account <account>', 'customers\' account in the FEC (default 411; each customer is C<number> in it)')
  .option('--revenue-account <account>', 'revenue account in the FEC (default 706)')
  .option('--vat-account <account>', 'VAT collected account in the FEC (default 44571)')
  .option('--bank-account <account>', 'bank account of the FEC\'s bank journal BQ, where payments go (default 512)')
  .option('--siren <siren>', 'SIREN of the FEC\'s file name (empty: from a SIREN or SIRET registration number)')
  .option('--factur-x', 'invoices and credit notes download as Factur-X (PDF/A-3 with their EN 16931 XML)')
  .option('--no-factur-x', 'invoices download as plain PDFs (the default)');

const day = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new InvalidArgumentError('must be a day, YYYY-MM-DD');
  return v;
};

export function registerExportCommands(program: Command, billing: Command) {
  const cmd = billing.command('export').description('accounting exports of a range of days (staff): invoices and credit notes as CSV, the sales and bank journals as a FEC');
  const exportCommand = (what: 'csv' | 'fec', description: string) => cmd.command(what).description(description)
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD (UTC)', day)
    .requiredOption('--to <day>', 'last day, included, YYYY-MM-DD (UTC)', day)
    .option('-o, --out <file>', 'where to write it (default: the name the manager gives, in this directory; - for standard output)');
  const run = async (path: string, query: Record<string, string>, out: string | undefined) => {
    const file = await client(program).downloadFile(`${path}?${new URLSearchParams(query)}`);
    if (out === '-') return void process.stdout.write(file.bytes);
    const target = out ?? file.name ?? 'export.txt';
    writeFileSync(target, file.bytes);
    const lines = file.bytes.toString('utf8').split('\n').filter(Boolean).length - 1;
    print(program, { file: target, bytes: file.bytes.length, lines }, `${target} written (${lines} lines, ${file.bytes.length} bytes)`);
  };
  exportCommand('csv', 'invoices and credit notes issued from --from to --to: one line per document and VAT rate')
    .action((o: { from: string; to: string; out?: string }) => run('/api/v1/billing/exports/invoices.csv', { from: o.from, to: o.to }, o.out));
  exportCommand('fec', 'the FEC (fichier des écritures comptables) of the sales and bank journals, settled invoices lettered: <SIREN>FEC<to>.txt')
    .option('--separator <sep>', 'tab (default) or pipe', oneOf(['tab', 'pipe'] as const))
    .action((o: { from: string; to: string; out?: string; separator?: string }) =>
      run('/api/v1/billing/exports/fec', { from: o.from, to: o.to, ...(o.separator ? { separator: o.separator } : {}) }, o.out));
}
