// Records of a zone over HTTP: the platform's (managed, read-only) and the zone's own (checked per type).
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams, ref } from '../platform/validation.js';
import { recordCreate, recordOut, recordPatch } from './model.js';
import { zoneChangeErrors } from './errors.js';
import { addRecord, changeRecord, listRecordsOf, removeRecord, showRecordOf } from './operations-records.js';

const recordParams = z.object({ id: ref, recordId: ref });
const refused = ['record.invalid', 'record.managed_conflict', 'record.exists', 'record.cname_conflict'];

export const recordRoutes = [
  route({
    method: 'GET', path: '/api/v1/zones/{id}/records', summary: 'List a zone\'s records: the platform\'s (managed) and the customer\'s', tag: 'dns', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(recordOut), errors: ['zone.not_found'],
    handler: ({ app, caller, params, query }) => listRecordsOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/zones/{id}/records', summary: 'Add a record', tag: 'dns', access: 'user', tenant: true, status: 201,
    params: idParams, body: recordCreate, response: recordOut, errors: [...zoneChangeErrors, ...refused, 'quota.records_exceeded'],
    handler: ({ app, caller, params, body }) => addRecord(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/zones/{id}/records/{recordId}', summary: 'Show a record', tag: 'dns', access: 'user', tenant: true,
    params: recordParams, response: recordOut, errors: ['zone.not_found', 'record.not_found'],
    handler: ({ app, caller, params }) => showRecordOf(app, caller, params.id, params.recordId),
  }),
  route({
    method: 'PATCH', path: '/api/v1/zones/{id}/records/{recordId}', summary: 'Change a record', tag: 'dns', access: 'user', tenant: true,
    params: recordParams, body: recordPatch, response: recordOut, errors: [...zoneChangeErrors, 'record.not_found', ...refused],
    handler: ({ app, caller, params, body }) => changeRecord(app, caller, params.id, params.recordId, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/zones/{id}/records/{recordId}', summary: 'Remove a record', tag: 'dns', access: 'user', tenant: true, params: recordParams, status: 204,
    errors: [...zoneChangeErrors, 'record.not_found'],
    handler: async ({ app, caller, params }) => void (await removeRecord(app, caller, params.id, params.recordId)),
  }),
];
