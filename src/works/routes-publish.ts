// Where the public works page is published, over HTTP (staff): the outside targets it is pushed to.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { workTargetCreate, workTargetOut } from './model-publish.js';
import { createWorkTarget, listWorkTargets, pushWorkTarget, removeWorkTarget, showWorkTarget } from './operations-targets.js';

const staffErrors = ['auth.staff_only'];

export const workPublishRoutes = [
  route({
    method: 'GET', path: '/api/v1/work-targets', summary: 'Outside hosts the public works page is pushed to with rsync over SSH, and how their last push went (staff)',
    tag: 'works', access: 'staff', response: z.object({ items: z.array(workTargetOut) }), errors: staffErrors,
    handler: async ({ app, caller }) => ({ items: await listWorkTargets(app, caller) }),
  }),
  route({
    method: 'POST', path: '/api/v1/work-targets', summary: 'Add an outside host to push the public works page to (staff): Abri answers the public key to authorize there',
    tag: 'works', access: 'staff', status: 201, body: workTargetCreate, response: workTargetOut, errors: [...staffErrors, 'work_target.invalid', 'work_target.name_taken'],
    handler: ({ app, caller, body }) => createWorkTarget(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/work-targets/{id}', summary: 'Show an outside target of the works page (by id or name) with its last push (staff)',
    tag: 'works', access: 'staff', params: idParams, response: workTargetOut, errors: [...staffErrors, 'work_target.not_found'],
    handler: ({ app, caller, params }) => showWorkTarget(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/work-targets/{id}/push', summary: 'Push the works page to a target now, without waiting for its next retry (staff)',
    tag: 'works', access: 'staff', params: idParams, response: workTargetOut, errors: [...staffErrors, 'work_target.not_found'],
    handler: ({ app, caller, params }) => pushWorkTarget(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/work-targets/{id}', summary: 'Stop pushing the works page to a target (staff); what it has stays there',
    tag: 'works', access: 'staff', status: 204, params: idParams, errors: [...staffErrors, 'work_target.not_found'],
    handler: async ({ app, caller, params }) => {
      await removeWorkTarget(app, caller, params.id);
    },
  }),
];
