// A paged, searchable, sortable list over the API's q/sort/limit/cursor, cached by TanStack Query
// (the rows stay on screen while the next page loads). Pages go forward with nextCursor; the last
// page is read by reversing the sort and taking the tail (total % size), so first, previous, next
// and last all work at 10,000 rows without offsets.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiError } from './client.js';
import type { Page } from './model.js';
import { getQuery, type Answer, type Init, type PathOf } from './query.js';

type Direction = 'forward' | 'backward';

interface Position {
  direction: Direction;
  /** cursors that loaded each page walked so far in this direction (undefined = the start) */
  trail: Array<string | undefined>;
}

/** The GET paths that answer a page of items and take q, sort, limit and cursor. */
export type ListPath = {
  [P in PathOf<'get'>]: Answer<P> extends { items: unknown[]; total: number } ? (Init<P, 'get'> extends { query?: { q?: string; cursor?: string } } ? P : never) : never;
}[PathOf<'get'>];
export type ItemOf<P extends ListPath> = Answer<P> extends { items: Array<infer T> } ? T : never;

export interface ListState<T> {
  items: T[];
  total: number;
  loading: boolean;
  error: ApiError | null;
  query: string;
  setQuery(q: string): void;
  sort: string;
  sortBy(field: string): void;
  page: number;
  pageCount: number;
  pageSize: number;
  first(): void;
  previous(): void;
  next(): void;
  last(): void;
}

const reverse = (sort: string) => (sort.startsWith('-') ? sort.slice(1) : `-${sort}`);
const start: Position = { direction: 'forward', trail: [undefined] };

export interface ListOptions {
  defaultSort: string;
  pageSize?: number;
  /** the path's parameters ({ id } of /zones/{id}/records) */
  path?: Record<string, string>;
  /** filters besides the search (customerId, status…); undefined ones are left out */
  filters?: Record<string, string | undefined>;
  debounceMs?: number;
}

/** How often a list is asked again while one of its rows is still being applied on its servers. */
export const LIST_POLL_MS = 2000;

/** `pollWhile(item)`: the list is asked again every LIST_POLL_MS while it holds for a row on screen (pending on its servers). */
export type ListOptionsOf<P extends ListPath> = ListOptions & { pollWhile?(item: ItemOf<P>): boolean };

export function useList<P extends ListPath>(path: P, opts: ListOptionsOf<P>): ListState<ItemOf<P>> {
  const pageSize = opts.pageSize ?? 25;
  const [query, setQueryNow] = useState('');
  const [debounced, setDebounced] = useState('');
  const [sort, setSort] = useState(opts.defaultSort);
  const [position, setPosition] = useState<Position>(start);
  const filtersKey = JSON.stringify(opts.filters ?? {});
  const pathKey = JSON.stringify(opts.path ?? {});

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), opts.debounceMs ?? 200);
    return () => clearTimeout(timer);
  }, [query, opts.debounceMs]);

  useEffect(() => setPosition(start), [debounced, sort, filtersKey, pathKey, path]);

  const [known, setKnown] = useState({ total: 0, key: '' });
  const listKey = `${path} ${pathKey} ${filtersKey} ${debounced}`;
  const total = known.key === listKey ? known.total : 0;
  const tail = total % pageSize || pageSize;
  const backward = position.direction === 'backward';
  const cursor = position.trail.at(-1);
  const limit = backward && position.trail.length === 1 ? tail : pageSize;
  const filters = Object.fromEntries(Object.entries(opts.filters ?? {}).filter(([, v]) => v !== undefined && v !== ''));
  const init = { path: opts.path, query: { ...filters, q: debounced || undefined, sort: backward ? reverse(sort) : sort, limit, cursor } } as unknown as Init<P, 'get'>;
  const base = getQuery(path, init);
  // a page read backwards (the last pages) is cached in display order, apart from the same request
  // read forwards (the first page of the reversed sort)
  const answer = useQuery<Page<ItemOf<P>>, ApiError>({
    queryKey: [...base.queryKey, backward ? 'backward' : 'forward'],
    queryFn: async (ctx): Promise<Page<ItemOf<P>>> => {
      const page = (await base.queryFn!(ctx as never)) as unknown as Page<ItemOf<P>>;
      return backward ? { ...page, items: [...page.items].reverse() } : page;
    },
    placeholderData: keepPreviousData,
    refetchInterval: opts.pollWhile ? (q) => (q.state.data?.items.some((i) => opts.pollWhile!(i)) ? LIST_POLL_MS : false) : undefined,
  });
  const data = answer.data;

  useEffect(() => {
    if (data && !answer.isPlaceholderData) setKnown({ total: data.total, key: listKey });
  }, [data, answer.isPlaceholderData, listKey]);

  const items = data?.items ?? [];
  const shownTotal = data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(shownTotal / pageSize));
  const walked = position.trail.length - 1;
  const page = position.direction === 'forward' ? walked + 1 : pageCount - walked;
  const push = (c: string | null | undefined) => c && setPosition((p) => ({ ...p, trail: [...p.trail, c] }));
  const pop = () => setPosition((p) => ({ ...p, trail: p.trail.slice(0, -1) }));

  return {
    items,
    total: shownTotal,
    loading: answer.isFetching,
    error: answer.error,
    query,
    setQuery: setQueryNow,
    sort,
    sortBy: (field) => setSort((s) => (s === field ? `-${field}` : field)),
    page,
    pageCount,
    pageSize,
    first: () => setPosition(start),
    last: () => setPosition({ direction: 'backward', trail: [undefined] }),
    next() {
      if (page >= pageCount) return;
      if (position.direction === 'forward') push(data?.nextCursor);
      else pop();
    },
    previous() {
      if (page <= 1) return;
      if (position.direction === 'forward') pop();
      else push(data?.nextCursor);
    },
  };
}
