// Notices over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { noticeOut, noticeQuery } from './model.js';
import { listNoticesOf, markNoticeRead } from './operations.js';

export const noticeRoutes = [
  route({
    method: 'GET', path: '/api/v1/notices', summary: 'List notices: what changed that the caller\'s customers (or, for staff, the staff) must know', tag: 'notices', access: 'user',
    query: listQuery.extend(noticeQuery.shape), response: listOf(noticeOut), errors: ['customer.not_found'],
    handler: ({ app, caller, query }) => listNoticesOf(app, caller, query),
  }),
  route({
    method: 'POST', path: '/api/v1/notices/{id}/read', summary: 'Mark a notice read', tag: 'notices', access: 'user', tenant: true,
    params: idParams, response: noticeOut, errors: ['notice.not_found', 'notice.forbidden', 'platform.staff_only', 'auth.staff_only', 'customer.suspended', 'customer.closed'],
    handler: ({ app, caller, params }) => markNoticeRead(app, caller, params.id),
  }),
];
