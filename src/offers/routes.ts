import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { recordAudit } from '../platform/store-audit.js';
import { offerCreate, offerOut, offerPatch, showOffer } from './model.js';
import { createOffer, deleteOffer, findOffer, listOffers, updateOffer } from './store.js';

export const offerRoutes = [
  route({
    method: 'GET', path: '/api/v1/offers', summary: 'List offers (the catalogue: every user may read it)', tag: 'offers', access: 'user',
    query: listQuery, response: listOf(offerOut),
    async handler({ app, query }) {
      const page = await listOffers(app.db, query);
      return { ...page, items: page.items.map(showOffer) };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/offers', summary: 'Create an offer', tag: 'offers', access: 'staff', status: 201, body: offerCreate, response: offerOut,
    async handler({ app, actor, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const o = await createOffer(trx, body, app.config.phpVersions);
        await recordAudit(trx, { actor, address: req.address }, { action: 'offer.create', targetType: 'offer', targetId: o.id, target: o.name, after: body });
        return showOffer(o);
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/offers/{id}', summary: 'Show an offer (id or name)', tag: 'offers', access: 'user', params: idParams, response: offerOut,
    async handler({ app, params }) {
      return showOffer(await findOffer(app.db, params.id));
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/offers/{id}', summary: 'Change an offer', tag: 'offers', access: 'staff', params: idParams, body: offerPatch, response: offerOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const before = await findOffer(trx, params.id);
        const after = await updateOffer(trx, before.id, body, app.config.phpVersions);
        await recordAudit(trx, { actor, address: req.address }, { action: 'offer.update', targetType: 'offer', targetId: after.id, target: after.name, before: showOffer(before), after: body });
        return showOffer(after);
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/offers/{id}', summary: 'Delete an offer no hosting uses', tag: 'offers', access: 'staff', params: idParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const o = await findOffer(trx, params.id);
        await deleteOffer(trx, o.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'offer.delete', targetType: 'offer', targetId: o.id, target: o.name, before: showOffer(o) });
      });
    },
  }),
];
