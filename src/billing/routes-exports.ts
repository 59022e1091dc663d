// The accounting exports over HTTP (staff): the CSV of invoices and credit notes, the FEC.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { exportRange, fecQuery } from './model-exports.js';
import { exportFec, exportInvoicesCsv } from './operations-exports.js';

const file = z.string();
const attachment = (name: string) => `attachment; filename="${name}"`;

export const billingExportRoutes = [
  route({
    method: 'GET', path: '/api/v1/billing/exports/invoices.csv', summary: 'Export the invoices and credit notes issued over a range of days as CSV, one line per document and VAT rate (staff)', tag: 'billing', access: 'staff',
    query: exportRange, produces: 'text/csv', response: file, errors: ['billing.export_range'],
    handler: async ({ app, caller, query, req }) => {
      const { name, content } = await exportInvoicesCsv(app, caller, query);
      void req.reply.header('content-disposition', attachment(name)).header('cache-control', 'private, no-store');
      return content;
    },
  }),
  route({
    method: 'GET', path: '/api/v1/billing/exports/fec', summary: 'Export the sales journal and the bank journal (payments, settled invoices lettered) over a range of days as a FEC (fichier des écritures comptables, art. A47 A-1 LPF), <SIREN>FEC<to>.txt (staff)', tag: 'billing', access: 'staff',
    query: fecQuery, produces: 'text/plain', response: file, errors: ['billing.export_range', 'billing.siren_missing'],
    handler: async ({ app, caller, query, req }) => {
      const { name, content } = await exportFec(app, caller, query);
      void req.reply.header('content-disposition', attachment(name)).header('cache-control', 'private, no-store');
      return content;
    },
  }),
];
