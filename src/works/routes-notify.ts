// Telling people about works over HTTP: each user's e-mail choice, and the channels (webhooks,
// Mastodon accounts) with their deliveries for the staff.
import { z } from 'zod';
import { listOf } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { workChannelCreate, workChannelOut, workChannelPatch, workDeliveryListQuery, workDeliveryOut, workNoticesIn, workNoticesOut } from './model-notify.js';
import { changeWorkChannel, createWorkChannel, listWorkChannels, listWorkDeliveries, removeWorkChannel, retryWorkDelivery } from './operations-channels.js';
import { setWorkNotices, showWorkNotices } from './operations-notify.js';

export const workNoticeRoutes = [
  route({
    method: 'GET', path: '/api/v1/me/work-notices', summary: 'What I receive by e-mail about the works affecting my hostings', tag: 'works', access: 'user',
    response: workNoticesOut, errors: [],
    handler: ({ app, caller }) => showWorkNotices(app, caller),
  }),
  route({
    method: 'PUT', path: '/api/v1/me/work-notices', summary: 'Choose what I receive by e-mail about works: all, only incidents, none', tag: 'works', access: 'user', whileReadOnly: true,
    body: workNoticesIn, response: workNoticesOut, errors: [],
    handler: ({ app, caller, body }) => setWorkNotices(app, caller, body.receive),
  }),
  route({
    method: 'GET', path: '/api/v1/work-channels', summary: 'The webhooks and Mastodon accounts told about works (staff); secrets are never shown', tag: 'works', access: 'staff',
    response: z.object({ items: z.array(workChannelOut) }), errors: ['auth.staff_only'],
    handler: async ({ app, caller }) => ({ items: await listWorkChannels(app, caller) }),
  }),
  route({
    method: 'POST', path: '/api/v1/work-channels', summary: 'Add a webhook or a Mastodon account told about every work event (staff)', tag: 'works', access: 'staff', status: 201,
    body: workChannelCreate, response: workChannelOut, errors: ['auth.staff_only', 'work_channel.name_taken'],
    handler: ({ app, caller, body }) => createWorkChannel(app, caller, body),
  }),
  route({
    method: 'PATCH', path: '/api/v1/work-channels/{id}', summary: 'Change a channel (staff): name, address, secret, language, enabled', tag: 'works', access: 'staff',
    params: idParams, body: workChannelPatch, response: workChannelOut, errors: ['auth.staff_only', 'work_channel.not_found', 'work_channel.name_taken'],
    handler: ({ app, caller, params, body }) => changeWorkChannel(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/work-channels/{id}', summary: 'Remove a channel and its deliveries (staff)', tag: 'works', access: 'staff', status: 204,
    params: idParams, errors: ['auth.staff_only', 'work_channel.not_found'],
    handler: ({ app, caller, params }) => removeWorkChannel(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/work-deliveries', summary: 'What was sent to each channel, its state and last error (staff)', tag: 'works', access: 'staff',
    query: workDeliveryListQuery, response: listOf(workDeliveryOut), errors: ['auth.staff_only', 'work_channel.not_found'],
    handler: ({ app, caller, query }) => listWorkDeliveries(app, caller, query),
  }),
  route({
    method: 'POST', path: '/api/v1/work-deliveries/{id}/retry', summary: 'Try a waiting or failed delivery again now (staff)', tag: 'works', access: 'staff',
    params: idParams, response: workDeliveryOut, errors: ['auth.staff_only', 'work_delivery.not_found', 'work_delivery.sent'],
    handler: ({ app, caller, params }) => retryWorkDelivery(app, caller, params.id),
  }),
];
