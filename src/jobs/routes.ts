// Jobs over HTTP (staff): what runs in the background, its last error, and "run it again now".
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { jobListQuery, jobOut } from './model.js';
import { listJobsOf, retryJob, showJob } from './operations.js';

export const jobRoutes = [
  route({
    method: 'GET', path: '/api/v1/jobs', summary: 'Background jobs (staff): filter by kind or status, search, sort by next run', tag: 'jobs', access: 'staff',
    query: jobListQuery, response: listOf(jobOut),
    handler: ({ app, caller, query: { kind, status, ...list } }) => listJobsOf(app, caller, { ...list, kind, status }),
  }),
  route({
    method: 'GET', path: '/api/v1/jobs/{id}', summary: 'Show a job with its last error (staff)', tag: 'jobs', access: 'staff',
    params: idParams, response: jobOut, errors: ['job.not_found'],
    handler: ({ app, caller, params }) => showJob(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/jobs/{id}/retry', summary: 'Run a job again now (staff)', tag: 'jobs', access: 'staff',
    params: idParams, response: jobOut, errors: ['job.not_found', 'job.running'],
    handler: ({ app, caller, params }) => retryJob(app, caller, params.id),
  }),
];
