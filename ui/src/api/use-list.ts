// A paged, searchable, sortable list over the API's q/sort/limit/cursor. Pages go forward with
// nextCursor; the last page is read by reversing the sort and taking the tail (total % size), so
// first, previous, next and last all work at 10,000 rows without offsets.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, withQuery } from './client.js';
import type { Page } from './types.js';

type Direction = 'forward' | 'backward';

interface Position {
  direction: Direction;
  /** cursors that loaded each page walked so far in this direction (undefined = the start) */
  trail: Array<string | undefined>;
}

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
  reload(): void;
}

const reverse = (sort: string) => (sort.startsWith('-') ? sort.slice(1) : `-${sort}`);
const start: Position = { direction: 'forward', trail: [undefined] };

export function useList<T>(path: string, opts: { defaultSort: string; pageSize?: number; params?: Record<string, string | undefined>; debounceMs?: number }): ListState<T> {
  const pageSize = opts.pageSize ?? 25;
  const [query, setQueryNow] = useState('');
  const [debounced, setDebounced] = useState('');
  const [sort, setSort] = useState(opts.defaultSort);
  const [position, setPosition] = useState<Position>(start);
  const [answer, setAnswer] = useState<{ items: T[]; total: number; nextCursor: string | null }>({ items: [], total: 0, nextCursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const paramsKey = JSON.stringify(opts.params ?? {});

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), opts.debounceMs ?? 200);
    return () => clearTimeout(timer);
  }, [query, opts.debounceMs]);

  useEffect(() => setPosition(start), [debounced, sort, paramsKey, path]);

  const pageCount = Math.max(1, Math.ceil(answer.total / pageSize));
  const tail = answer.total % pageSize || pageSize;

  useEffect(() => {
    const id = ++latest.current;
    const backward = position.direction === 'backward';
    const cursor = position.trail.at(-1);
    const limit = backward && position.trail.length === 1 ? tail : pageSize;
    setLoading(true);
    api<Page<T>>('GET', withQuery(path, { ...JSON.parse(paramsKey), q: debounced, sort: backward ? reverse(sort) : sort, limit, cursor }))
      .then((p) => {
        if (id !== latest.current) return;
        setAnswer({ items: backward ? [...p.items].reverse() : p.items, total: p.total, nextCursor: p.nextCursor });
        setError(null);
      })
      .catch((e) => {
        if (id === latest.current) setError(e instanceof ApiError ? e : new ApiError(0, 'internal', String(e)));
      })
      .finally(() => {
        if (id === latest.current) setLoading(false);
      });
    // `tail` is read only when the last page is requested, from the total already known
  }, [path, paramsKey, debounced, sort, position, pageSize, generation]);

  const walked = position.trail.length - 1;
  const page = position.direction === 'forward' ? walked + 1 : pageCount - walked;
  const push = (cursor: string | null) => cursor && setPosition((p) => ({ ...p, trail: [...p.trail, cursor] }));
  const pop = () => setPosition((p) => ({ ...p, trail: p.trail.slice(0, -1) }));

  return {
    items: answer.items,
    total: answer.total,
    loading,
    error,
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
      if (position.direction === 'forward') push(answer.nextCursor);
      else pop();
    },
    previous() {
      if (page <= 1) return;
      if (position.direction === 'forward') pop();
      else push(answer.nextCursor);
    },
    reload: useCallback(() => setGeneration((g) => g + 1), []),
  };
}
