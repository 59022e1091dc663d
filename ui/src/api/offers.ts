// The offer catalogue (every user may read it): loaded once, cached, and looked up by id.
import { useGet } from './query.js';

export function useOffers() {
  const r = useGet('/offers', { query: { limit: 1000, sort: 'name' } });
  const byId = (id: string) => r.data?.items.find((o) => o.id === id) ?? null;
  return { offers: r.data?.items ?? [], byId, loaded: !!r.data };
}
