// Works over HTTP: parse, call one operation, answer.
import { listOf } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { workCreate, workListQuery, workOut, workPatch, workRecordOut, workSummaryOut, workUpdateIn } from './model.js';
import { addWorkUpdate, changeWork, createWork } from './operations.js';
import { listHostingWorks, listWorksOf, showWork, workRecord } from './operations-read.js';

const staffErrors = ['auth.staff_only'];

export const workRoutes = [
  route({
    method: 'GET', path: '/api/v1/works', summary: 'List works (maintenances, evolutions, incidents): all for the staff, those affecting the caller\'s hostings for a customer',
    tag: 'works', access: 'user', query: workListQuery, response: listOf(workSummaryOut), errors: [],
    handler: ({ app, caller, query }) => listWorksOf(app, caller, query),
  }),
  route({
    method: 'GET', path: '/api/v1/works/record', summary: 'The host\'s record: of the planned works done, how many held within their planned duration (overall and per month)',
    tag: 'works', access: 'user', response: workRecordOut, errors: [],
    handler: ({ app, caller }) => workRecord(app, caller),
  }),
  route({
    method: 'POST', path: '/api/v1/works', summary: 'Announce a work (staff): a maintenance or an evolution with its plan, or an incident',
    tag: 'works', access: 'staff', status: 201, body: workCreate, response: workOut,
    errors: [...staffErrors, 'work.plan_required', 'work.plan_not_allowed', 'work.affects_nothing', 'work.server_not_found', 'work.time_in_future'],
    handler: ({ app, caller, body }) => createWork(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/works/{id}', summary: 'Show a work (by id or number) with its history and the hostings it affects', tag: 'works', access: 'user', tenant: true,
    params: idParams, response: workOut, errors: ['work.not_found'],
    handler: ({ app, caller, params }) => showWork(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/works/{id}', summary: 'Change a work (staff): its texts, what it affects, its plan (every move is kept in its history)',
    tag: 'works', access: 'staff', params: idParams, body: workPatch, response: workOut,
    errors: [...staffErrors, 'work.not_found', 'work.started', 'work.plan_required', 'work.plan_not_allowed', 'work.affects_nothing', 'work.server_not_found'],
    handler: ({ app, caller, params, body }) => changeWork(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/works/{id}/updates', summary: 'Tell a dated update of a work (staff), which may move its state: start, end, cancel, an incident\'s next stage',
    tag: 'works', access: 'staff', status: 201, params: idParams, body: workUpdateIn, response: workOut,
    errors: [...staffErrors, 'work.not_found', 'work.update_empty', 'work.state_invalid', 'work.transition_refused', 'work.finished', 'work.end_before_start', 'work.time_in_future'],
    handler: ({ app, caller, params, body }) => addWorkUpdate(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/works', summary: 'The works that affect a hosting', tag: 'works', access: 'user', tenant: true,
    params: idParams, query: workListQuery, response: listOf(workSummaryOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listHostingWorks(app, caller, params.id, query),
  }),
];
