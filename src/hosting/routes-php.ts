// A site's PHP settings over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { sitePhpOut, sitePhpPatch } from './model-php.js';
import { showSitePhp, updateSitePhp } from './operations-php.js';

export const sitePhpRoutes = [
  route({
    method: 'GET', path: '/api/v1/sites/{id}/php', summary: 'Show the PHP settings of a site, their defaults and the offer\'s bounds', tag: 'sites', access: 'user', tenant: true,
    params: idParams, response: sitePhpOut, errors: ['site.not_found'],
    handler: ({ app, caller, params }) => showSitePhp(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/sites/{id}/php', summary: 'Change PHP settings of a site (null: back to the default), within the offer\'s bounds', tag: 'sites', access: 'user', tenant: true,
    params: idParams, body: sitePhpPatch, response: sitePhpOut,
    errors: ['site.not_found', 'site.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated', 'php.above_offer', 'php.post_below_upload'],
    handler: ({ app, caller, params, body }) => updateSitePhp(app, caller, params.id, body),
  }),
];
