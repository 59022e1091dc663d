// Payments over HTTP: staff record what an invoice received (cheque, cash, transfer) and refunds of
// credited invoices; an invoice's customer and staff list its payments; staff list them all.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { invoiceOut } from './model.js';
import { paymentListQuery, paymentOut, paymentRecord, refundRecord } from './model-payments.js';
import { listPaymentsOf, paymentsOf, recordPaymentByStaff, recordRefundByStaff } from './operations-payments.js';

const recorded = z.object({ payment: paymentOut, invoice: invoiceOut.describe('the invoice after it: paid amount, balance, status'), replayed: z.boolean() });

export const paymentRoutes = [
  route({
    method: 'GET', path: '/api/v1/invoices/{id}/payments', summary: 'The payments and refunds of an invoice (id, number or RF reference; a credit note: its invoice\'s), oldest first', tag: 'billing', access: 'user', tenant: true,
    params: idParams, response: z.array(paymentOut), errors: ['invoice.not_found'],
    handler: ({ app, caller, params }) => paymentsOf(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/invoices/{id}/payments', summary: 'Record a cheque, cash or a bank transfer received for an invoice (id, number or RF reference), in full or in part (staff)', tag: 'billing', access: 'staff', status: 201,
    params: idParams, body: paymentRecord, response: recorded,
    errors: ['invoice.not_found', 'payment.reference_invalid', 'payment.not_payable', 'payment.invoice_credited', 'payment.exceeds_balance', 'payment.in_future'],
    handler: ({ app, caller, params, body }) => recordPaymentByStaff(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/invoices/{id}/refunds', summary: 'Record money paid back on a credited invoice (named by itself or its credit note), at most what was paid (staff)', tag: 'billing', access: 'staff', status: 201,
    params: idParams, body: refundRecord, response: recorded,
    errors: ['invoice.not_found', 'payment.refund_not_due', 'payment.exceeds_refund_due', 'payment.in_future'],
    handler: ({ app, caller, params, body }) => recordRefundByStaff(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/payments', summary: 'Every payment and refund, newest first (staff)', tag: 'billing', access: 'staff',
    query: paymentListQuery, response: listOf(paymentOut), errors: [],
    handler: ({ app, caller, query: { customerId, method, provider, ...list } }) => listPaymentsOf(app, caller, { customerId, method, provider }, list),
  }),
];
