// Accounting exports and Factur-X as the API shows them: the seller's settings they add (the FEC's
// accounts and SIREN, the Factur-X option) and the date range of an export.
import { z } from 'zod';

const account = (fallback: string, what: string, journal = 'sales journal') =>
  z.string().trim().regex(/^[0-9][0-9A-Z]{0,19}$/, 'must be an account number: digits (then digits or capital letters), at most 20')
    .describe(`${what} in the FEC's ${journal} (default ${fallback})`);

/** Fields of the seller's settings (billing_settings, migrations 0045 and 0048). */
export const accountingFields = {
  customerAccount: account('411', 'customers\' account (each customer is an auxiliary account of it, C<number>)'),
  revenueAccount: account('706', 'revenue account (services sold, before VAT)'),
  vatAccount: account('44571', 'VAT collected account'),
  bankAccount: account('512', 'bank account, debited with payments received and credited with refunds (against the customers\' account)', 'bank journal BQ'),
  siren: z.string().trim().regex(/^(\d{9})?$/, 'must be a SIREN: 9 digits').describe('SIREN of the FEC\'s file name (empty: the registration number when it is a SIREN or a SIRET)'),
  facturX: z.boolean().describe('invoices and credit notes download as Factur-X (PDF/A-3 with their EN 16931 XML); off: plain PDF'),
};

const day = z.iso.date().describe('YYYY-MM-DD (UTC), included');

export const exportRange = z.object({ from: day, to: day });
export type ExportRange = z.output<typeof exportRange>;

export const fecQuery = exportRange.extend({
  separator: z.enum(['tab', 'pipe']).default('tab').describe('between the columns: a tab (default) or a pipe'),
});

/** The longest range an export covers: three years (a first financial year may last up to 24 months). */
export const MAX_EXPORT_DAYS = 1096;
