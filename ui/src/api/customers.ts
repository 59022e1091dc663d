// Customers' names by id, for lists that only carry an id (zones): each asked once per page view.
import { useEffect, useState } from 'react';
import { api } from './client.js';
import type { Customer } from './types.js';

const known = new Map<string, Promise<Customer | null>>();

function customer(id: string): Promise<Customer | null> {
  let p = known.get(id);
  if (!p) {
    p = api<Customer>('GET', `/api/v1/customers/${encodeURIComponent(id)}`).catch(() => null);
    known.set(id, p);
  }
  return p;
}

export function useCustomers(ids: Array<string | null>): Map<string, Customer> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))].sort();
  const key = wanted.join(',');
  const [found, setFound] = useState(new Map<string, Customer>());
  useEffect(() => {
    let live = true;
    void Promise.all(wanted.map(async (id) => [id, await customer(id)] as const)).then((pairs) => {
      if (!live) return;
      setFound(new Map(pairs.filter((p): p is readonly [string, Customer] => p[1] !== null)));
    });
    return () => {
      live = false;
    };
  }, [key]);
  useEffect(() => () => known.clear(), []);
  return found;
}
