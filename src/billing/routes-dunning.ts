// Dunning over HTTP: its settings (staff), an invoice's dunning and the list of dunnings (a customer's
// users: theirs; staff: all), staff pauses of an invoice's or a customer's dunning.
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { dunningDetailOut, dunningListQuery, dunningOut, dunningPause, dunningPauseOut, dunningSettingsOut, dunningSettingsPatch } from './model-dunning.js';
import { listDunningsOf, pauseCustomerDunning, pauseInvoiceDunning, showDunning, showDunningSettings, updateDunningSettings } from './operations-dunning-views.js';

export const dunningRoutes = [
  route({
    method: 'GET', path: '/api/v1/billing/dunning', summary: 'Dunning settings: reminder days, suspension and termination days, on or off (staff)', tag: 'billing', access: 'staff',
    response: dunningSettingsOut,
    handler: ({ app, caller }) => showDunningSettings(app, caller),
  }),
  route({
    method: 'PATCH', path: '/api/v1/billing/dunning', summary: 'Change the dunning settings (staff)', tag: 'billing', access: 'staff',
    body: dunningSettingsPatch, response: dunningSettingsOut, errors: ['dunning.settings_invalid'],
    handler: ({ app, caller, body }) => updateDunningSettings(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/dunning', summary: 'Dunnings of unpaid invoices, newest first (a customer\'s users: theirs; staff: all)', tag: 'billing', access: 'user', tenant: true,
    query: dunningListQuery, response: listOf(dunningOut), errors: ['customer.not_found'],
    handler: ({ app, caller, query: { customerId, hostingId, open, ...list } }) => listDunningsOf(app, caller, { customerId, hostingId, open }, list),
  }),
  route({
    method: 'GET', path: '/api/v1/invoices/{id}/dunning', summary: 'An invoice\'s dunning: reminders sent, suspension, termination, its next step and log', tag: 'billing', access: 'user', tenant: true,
    params: idParams, response: dunningDetailOut, errors: ['invoice.not_found'],
    handler: ({ app, caller, params }) => showDunning(app, caller, params.id),
  }),
  route({
    method: 'PUT', path: '/api/v1/invoices/{id}/dunning/pause', summary: 'Pause an invoice\'s dunning: no reminder, suspension or termination while paused (staff)', tag: 'billing', access: 'staff',
    params: idParams, body: dunningPause, response: dunningPauseOut, errors: ['invoice.not_found'],
    handler: ({ app, caller, params, body }) => pauseInvoiceDunning(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/invoices/{id}/dunning/pause', summary: 'Resume an invoice\'s dunning (staff)', tag: 'billing', access: 'staff',
    params: idParams, response: dunningPauseOut, errors: ['invoice.not_found'],
    handler: ({ app, caller, params }) => pauseInvoiceDunning(app, caller, params.id, null),
  }),
  route({
    method: 'PUT', path: '/api/v1/customers/{id}/dunning-pause', summary: 'Pause the dunning of every invoice of a customer (staff)', tag: 'billing', access: 'staff',
    params: idParams, body: dunningPause, response: dunningPauseOut, errors: ['customer.not_found'],
    handler: ({ app, caller, params, body }) => pauseCustomerDunning(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/customers/{id}/dunning-pause', summary: 'Resume the dunning of a customer\'s invoices (staff)', tag: 'billing', access: 'staff',
    params: idParams, response: dunningPauseOut, errors: ['customer.not_found'],
    handler: ({ app, caller, params }) => pauseCustomerDunning(app, caller, params.id, null),
  }),
];
