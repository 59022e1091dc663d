// Customers by id, for lists that only carry an id (zones): each asked once and cached.
import { useQueries } from '@tanstack/react-query';
import type { Customer } from './model.js';
import { getQuery } from './query.js';

export function useCustomers(ids: Array<string | null>): Map<string, Customer> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))].sort();
  const answers = useQueries({ queries: wanted.map((id) => ({ ...getQuery('/customers/{id}', { path: { id } }), staleTime: 5 * 60_000 })) });
  return new Map(answers.flatMap((a, i) => (a.data ? [[wanted[i], a.data] as const] : [])));
}
