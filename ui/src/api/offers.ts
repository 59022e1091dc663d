// The offer catalogue (every user may read it): loaded once per page and looked up by id.
import { withQuery } from './client.js';
import type { Offer, Page } from './types.js';
import { useResource } from './use-resource.js';

export function useOffers() {
  const r = useResource<Page<Offer>>(withQuery('/api/v1/offers', { limit: 1000, sort: 'name' }));
  const byId = (id: string) => r.data?.items.find((o) => o.id === id) ?? null;
  return { offers: r.data?.items ?? [], byId, loaded: !!r.data };
}
