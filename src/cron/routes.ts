// Scheduled tasks of a hosting over HTTP: parse, call one operation, answer.
import { listOf, listQuery } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { cronRunOut, cronTaskCreate, cronTaskOut, cronTaskPatch } from './model.js';
import { changeCronTask, createCronTask, listCronRuns, listCronTasksOf, removeCronTask, runCronTaskNow, showCronTask } from './operations.js';

const changeErrors = ['cron_task.not_found', 'cron_task.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const cronRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/cron-tasks', summary: 'List the scheduled tasks of a hosting (with their next and last run)', tag: 'cron', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(cronTaskOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listCronTasksOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/cron-tasks', summary: 'Create a scheduled task: a command run in the hosting\'s jail on a crontab schedule (UTC)',
    tag: 'cron', access: 'user', tenant: true, status: 201, params: idParams, body: cronTaskCreate, response: cronTaskOut,
    errors: ['hosting.not_found', ...changeErrors.filter((c) => c !== 'cron_task.not_found'), 'cron_task.schedule_invalid', 'cron_task.command_invalid', 'cron_task.time_limit_exceeded', 'cron_task.no_server', 'quota.cron_tasks_exceeded'],
    handler: ({ app, caller, params, body }) => createCronTask(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/cron-tasks/{id}', summary: 'Show a scheduled task', tag: 'cron', access: 'user', tenant: true,
    params: idParams, response: cronTaskOut, errors: ['cron_task.not_found'],
    handler: ({ app, caller, params }) => showCronTask(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/cron-tasks/{id}/runs', summary: 'The last runs of a scheduled task, newest first (the last 20 are kept)', tag: 'cron', access: 'user', tenant: true,
    params: idParams, response: listOf(cronRunOut), errors: ['cron_task.not_found'],
    handler: ({ app, caller, params }) => listCronRuns(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/cron-tasks/{id}', summary: 'Change a scheduled task\'s command, schedule or time limit, or disable/enable it', tag: 'cron', access: 'user', tenant: true,
    params: idParams, body: cronTaskPatch, response: cronTaskOut, errors: [...changeErrors, 'cron_task.schedule_invalid', 'cron_task.command_invalid', 'cron_task.time_limit_exceeded'],
    handler: ({ app, caller, params, body }) => changeCronTask(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/cron-tasks/{id}/run', summary: 'Run a scheduled task once, now (its web server runs it when it gets the change; the run shows in its runs)',
    tag: 'cron', access: 'user', tenant: true, status: 202, params: idParams, response: cronTaskOut, errors: changeErrors,
    handler: ({ app, caller, params }) => runCronTaskNow(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/cron-tasks/{id}', summary: 'Remove a scheduled task (a run in progress is let finish)', tag: 'cron', access: 'user', tenant: true,
    params: idParams, status: 204, errors: changeErrors,
    handler: ({ app, caller, params }) => removeCronTask(app, caller, params.id),
  }),
];
