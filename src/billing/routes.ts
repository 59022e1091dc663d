// Billing over HTTP: invoices (customers read and download theirs; staff issue and credit), a
// hosting's service (price, cycle, due date), the seller's settings (staff).
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { invoiceCredit, invoiceIssue, invoiceListQuery, invoiceOut, sellerOut, sellerPatch, serviceOut, servicePatch } from './model.js';
import { downloadInvoice, issueInvoice, listInvoicesOf, showInvoice } from './operations-invoices.js';
import { creditInvoice } from './operations-credit.js';
import { lifecycleRoutes } from './routes-lifecycle.js';
import { showSeller, showService, updateSellerOf, updateService } from './operations-billing.js';

const pdf = z.custom<Buffer>((v) => Buffer.isBuffer(v));

export const billingRoutes = [
  ...lifecycleRoutes,
  route({
    method: 'GET', path: '/api/v1/invoices', summary: 'List invoices, proformas and credit notes (a customer\'s users: theirs; staff: all), newest first', tag: 'billing', access: 'user', tenant: true,
    query: invoiceListQuery, response: listOf(invoiceOut), errors: ['customer.not_found'],
    handler: ({ app, caller, query: { customerId, hostingId, kind, status, ...list } }) => listInvoicesOf(app, caller, { customerId, hostingId, kind, status }, list),
  }),
  route({
    method: 'POST', path: '/api/v1/invoices', summary: 'Issue the next invoice (or a proforma) of a hosting\'s service now (staff)', tag: 'billing', access: 'staff', status: 201,
    body: invoiceIssue, response: invoiceOut,
    errors: ['hosting.not_found', 'hosting.terminated', 'billing.seller_incomplete', 'invoice.already_issued', 'invoice.nothing_to_bill'],
    handler: ({ app, caller, body }) => issueInvoice(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/invoices/{id}', summary: 'Show an invoice (id or number), with its frozen buyer and seller', tag: 'billing', access: 'user', tenant: true,
    params: idParams, response: invoiceOut, errors: ['invoice.not_found'],
    handler: ({ app, caller, params }) => showInvoice(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/invoices/{id}/pdf', summary: 'Download an invoice as PDF (allowed in every state of the account and the hosting)', tag: 'billing', access: 'user', tenant: true,
    params: idParams, produces: 'application/pdf', response: pdf, errors: ['invoice.not_found'],
    handler: async ({ app, caller, params, req }) => {
      const { name, pdf: bytes } = await downloadInvoice(app, caller, params.id);
      void req.reply.header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'private, no-store');
      return bytes;
    },
  }),
  route({
    method: 'POST', path: '/api/v1/invoices/{id}/credit', summary: 'Credit an invoice, in full or in part (an amount, some lines), with a credit note that references it (staff)', tag: 'billing', access: 'staff', status: 201,
    params: idParams, body: invoiceCredit, response: invoiceOut,
    errors: ['invoice.not_found', 'invoice.already_credited', 'invoice.not_creditable', 'billing.seller_incomplete', 'invoice.credit_exceeds', 'invoice.credit_mixed_rates', 'invoice.credit_line_unknown'],
    handler: ({ app, caller, params, body }) => creditInvoice(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/service', summary: 'A hosting\'s service: its offer\'s price and cycle, its VAT rate and due date', tag: 'billing', access: 'user', tenant: true,
    params: idParams, response: serviceOut, errors: ['hosting.not_found'],
    handler: ({ app, caller, params }) => showService(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/hostings/{id}/service', summary: 'Move a service\'s due date (staff)', tag: 'billing', access: 'staff',
    params: idParams, body: servicePatch, response: serviceOut, errors: ['hosting.not_found', 'hosting.terminated'],
    handler: ({ app, caller, params, body }) => updateService(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/billing/seller', summary: 'The seller\'s (the host\'s) legal details and billing settings (staff)', tag: 'billing', access: 'staff',
    response: sellerOut,
    handler: ({ app, caller }) => showSeller(app, caller),
  }),
  route({
    method: 'PATCH', path: '/api/v1/billing/seller', summary: 'Change the seller\'s details and billing settings (staff; issued invoices keep theirs)', tag: 'billing', access: 'staff',
    body: sellerPatch, response: sellerOut,
    handler: ({ app, caller, body }) => updateSellerOf(app, caller, body),
  }),
];
