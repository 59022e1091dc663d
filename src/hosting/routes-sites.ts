// Sites of a hosting over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { siteCreate, siteOut, sitePatch } from './model.js';
import { createSite, listSitesOf, removeSite, showSite, updateSite } from './operations-sites.js';

const changeErrors = ['site.not_found', 'site.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];
const nameErrors = ['site.domain_taken', 'site.zone_taken', 'site.platform_domain', 'site.no_platform_domain', 'site.platform_label_reserved', 'site.platform_label_taken', 'site.platform_label_invalid', 'offer.php_version_not_allowed', 'offer.tls_not_allowed'];

export const siteRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/sites', summary: 'List the sites of a hosting (search, sort, pages)', tag: 'sites', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(siteOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listSitesOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/sites', summary: 'Add a site to a hosting', tag: 'sites', access: 'user', tenant: true, status: 201,
    params: idParams, body: siteCreate, response: siteOut,
    errors: ['hosting.not_found', ...changeErrors.filter((c) => c !== 'site.not_found'), ...nameErrors, 'quota.sites_exceeded'],
    handler: ({ app, caller, params, body }) => createSite(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/sites/{id}', summary: 'Show a site (id or domain)', tag: 'sites', access: 'user', tenant: true, params: idParams, response: siteOut,
    errors: ['site.not_found'],
    handler: ({ app, caller, params }) => showSite(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/sites/{id}', summary: 'Change a site', tag: 'sites', access: 'user', tenant: true, params: idParams, body: sitePatch, response: siteOut,
    errors: [...changeErrors, ...nameErrors],
    handler: ({ app, caller, params, body }) => updateSite(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/sites/{id}', summary: 'Remove a site (its files stay in the hosting)', tag: 'sites', access: 'user', tenant: true, params: idParams, status: 204,
    errors: changeErrors,
    handler: ({ app, caller, params }) => removeSite(app, caller, params.id),
  }),
];
