// A service's lifecycle over HTTP: a change of offer (its preview first), ending a service at term or
// early and cancelling that end. Customers act on their own hostings; staff on any.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { serviceOut } from './model.js';
import { offerChangeBody, offerChangeOut, offerChangeQuery, serviceEndBody } from './model-lifecycle.js';
import { changeOffer, previewOfferChange } from './operations-offer-change.js';
import { cancelServiceEnd, endService } from './operations-end.js';

const stateErrors = ['customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];
const offerChangeErrors = [
  'hosting.not_found', 'offer.not_found', 'offer.archived', 'offer.php_version_not_allowed', 'quota.sites_exceeded',
  'offer_change.same_offer', 'offer_change.not_self_service', 'offer_change.does_not_fit',
];

export const lifecycleRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/offer-change', summary: 'Preview a change of offer: what would be credited and invoiced today (nothing is issued)', tag: 'billing', access: 'user', tenant: true,
    params: idParams, query: offerChangeQuery, response: offerChangeOut, errors: offerChangeErrors,
    handler: ({ app, caller, params, query }) => previewOfferChange(app, caller, params.id, query.offer),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/offer-change', summary: 'Move a hosting to another offer, prorated: the unused part credited, the new offer invoiced to the due date', tag: 'billing', access: 'user', tenant: true,
    params: idParams, body: offerChangeBody, response: offerChangeOut,
    errors: [...offerChangeErrors, 'hosting.forbidden', ...stateErrors, 'billing.seller_incomplete', 'invoice.already_credited', 'invoice.credit_exceeds'],
    handler: ({ app, caller, params, body }) => changeOffer(app, caller, params.id, body.offer),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/service/end', summary: 'End a hosting\'s service at term (its due date) or early (tomorrow); owners of the customer, or staff', tag: 'billing', access: 'user', tenant: true,
    params: idParams, body: serviceEndBody, response: serviceOut,
    errors: ['hosting.not_found', 'hosting.forbidden', ...stateErrors, 'service.already_ending', 'billing.seller_incomplete', 'invoice.already_credited', 'invoice.credit_exceeds'],
    handler: ({ app, caller, params, body }) => endService(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/hostings/{id}/service/end', summary: 'Cancel the end of a hosting\'s service (until its day): it renews again', tag: 'billing', access: 'user', tenant: true,
    params: idParams, response: serviceOut,
    errors: ['hosting.not_found', 'hosting.forbidden', ...stateErrors, 'service.not_ending', 'billing.seller_incomplete', 'invoice.already_issued'],
    handler: ({ app, caller, params }) => cancelServiceEnd(app, caller, params.id),
  }),
];
