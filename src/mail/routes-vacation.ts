// A mailbox's out-of-office reply over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { vacationOut, vacationPut } from './model-vacation.js';
import { removeVacation, setVacation, showVacation } from './operations-vacation.js';
import { mailChangeErrors } from './routes-domains.js';

const changeErrors = ['mailbox.not_found', 'mailbox.forbidden', ...mailChangeErrors];

export const vacationRoutes = [
  route({
    method: 'GET', path: '/api/v1/mailboxes/{id}/vacation', summary: 'Show a mailbox\'s out-of-office reply (enabled false and empty texts when none was set)',
    tag: 'mail', access: 'user', tenant: true, params: idParams, response: vacationOut, errors: ['mailbox.not_found'],
    handler: ({ app, caller, params }) => showVacation(app, caller, params.id),
  }),
  route({
    method: 'PUT', path: '/api/v1/mailboxes/{id}/vacation',
    summary: 'Set a mailbox\'s out-of-office reply: each sender gets it once per period, never lists, bounces or automatic replies; optional first and last days',
    tag: 'mail', access: 'user', tenant: true, params: idParams, body: vacationPut, response: vacationOut, errors: [...changeErrors, 'vacation.dates_reversed'],
    handler: ({ app, caller, params, body }) => setVacation(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/mailboxes/{id}/vacation', summary: 'Remove a mailbox\'s out-of-office reply and its text', tag: 'mail', access: 'user', tenant: true,
    params: idParams, status: 204, errors: changeErrors,
    handler: ({ app, caller, params }) => removeVacation(app, caller, params.id),
  }),
];
