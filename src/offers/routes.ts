// Offers over HTTP: every user reads the catalogue; staff create, change and delete offers.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { offerCreate, offerOut, offerPatch } from './model.js';
import { createOffer, deleteOffer, listOffersOf, showOfferOf, updateOffer } from './operations.js';

export const offerRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/offers',
    summary: 'List offers (the catalogue: every user may read it)',
    tag: 'offers',
    access: 'user',
    query: listQuery,
    response: listOf(offerOut),
    handler: ({ app, caller, query }) => listOffersOf(app, caller, query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/offers',
    summary: 'Create an offer (fields left out take their documented default)',
    tag: 'offers',
    access: 'staff',
    status: 201,
    body: offerCreate,
    response: offerOut,
    errors: ['offer.invalid', 'offer.name_taken'],
    handler: ({ app, caller, body }) => createOffer(app, caller, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/offers/{id}',
    summary: 'Show an offer (id or name)',
    tag: 'offers',
    access: 'user',
    params: idParams,
    response: offerOut,
    errors: ['offer.not_found'],
    handler: ({ app, caller, params }) => showOfferOf(app, caller, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/offers/{id}',
    summary: 'Change an offer (its hostings follow)',
    tag: 'offers',
    access: 'staff',
    params: idParams,
    body: offerPatch,
    response: offerOut,
    errors: ['offer.not_found', 'offer.invalid', 'offer.name_taken'],
    handler: ({ app, caller, params, body }) => updateOffer(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/offers/{id}',
    summary: 'Delete an offer no hosting uses',
    tag: 'offers',
    access: 'staff',
    params: idParams,
    status: 204,
    errors: ['offer.not_found', 'offer.in_use'],
    handler: ({ app, caller, params }) => deleteOffer(app, caller, params.id),
  }),
];
