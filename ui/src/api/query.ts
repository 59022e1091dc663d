// Reading and changing through the API with TanStack Query: every GET is cached under
// ['get', path, params], so a page that comes back (another tab, the browser's back button) shows
// what it had at once and refreshes only when stale; every change invalidates what is shown so that
// all pages agree. Paths, parameters, bodies and answers are typed by the generated schema.
import { QueryClient, queryOptions, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { api, ApiError } from './client.js';
import { counted, watchIdle } from './idle.js';
import type { paths } from './generated/schema.js';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;

/** The paths answering a method. */
export type PathOf<M extends Method> = { [P in keyof paths]: paths[P] extends Record<M, { responses: unknown }> ? P : never }[keyof paths];
type Op<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;
type Parameters<O> = O extends { parameters: infer X } ? X : never;

/** The success answer of an operation (200, 201, or nothing for 204). */
export type Answer<P extends keyof paths, M extends Method = 'get'> =
  Op<P, M> extends { responses: infer R } ? (200 extends keyof R ? Json<R[200]> : 201 extends keyof R ? Json<R[201]> : undefined) : never;

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends Method> = Op<P, M> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

type PathParams<P extends keyof paths, M extends Method> = Parameters<Op<P, M>> extends { path: infer X } ? X : never;
type QueryParams<P extends keyof paths, M extends Method> = Parameters<Op<P, M>> extends { query?: infer X } ? NonNullable<X> : never;

/** Path and query parameters, and the body, of one call. */
export type Init<P extends keyof paths, M extends Method> =
  ([PathParams<P, M>] extends [never] ? { path?: undefined } : { path: PathParams<P, M> }) &
  ([QueryParams<P, M>] extends [never] ? { query?: undefined } : { query?: QueryParams<P, M> }) &
  ([BodyOf<P, M>] extends [never] ? { body?: undefined } : { body: BodyOf<P, M> });

type Caller = (path: string, init: { params: { path?: object; query?: object }; body?: unknown; signal?: AbortSignal }) => Promise<{ data?: unknown }>;

/** One API call; resolves with its answer, rejects with an ApiError. */
export async function call<M extends Method, P extends PathOf<M>>(method: M, path: P, init: Init<P, M>, signal?: AbortSignal): Promise<Answer<P, M>> {
  const callers: Record<Method, Caller> = { get: api.GET as never, post: api.POST as never, patch: api.PATCH as never, put: api.PUT as never, delete: api.DELETE as never };
  const { path: pathParams, query, body } = init as { path?: object; query?: object; body?: unknown };
  const answer = await counted(callers[method](path, { params: { path: pathParams, query }, ...(body !== undefined ? { body } : {}), signal }));
  return answer.data as Answer<P, M>;
}

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // a 4xx will answer the same again; a network failure may not, nor a server's agent too busy
      // to answer a read in time (asked once more; one that has not called lately is answered at
      // once, so a server really down still shows without a long wait)
      retry: (count, error) => error instanceof ApiError && ((error.status === 0 && count < 2) || (error.code === 'server.unreachable' && count < 1)),
    },
  },
});
watchIdle(queryClient);

/** The cache entry of a GET: its key and how to fetch it. */
export function getQuery<P extends PathOf<'get'>>(path: P, init: Init<P, 'get'>) {
  const { path: pathParams, query } = init as { path?: object; query?: object };
  return queryOptions<Answer<P, 'get'>, ApiError>({
    queryKey: ['get', path, pathParams ?? {}, query ?? {}] as const,
    queryFn: ({ signal }) => call('get', path, init, signal),
  });
}

type Options<T> = Omit<UseQueryOptions<T, ApiError, T, readonly unknown[]>, 'queryKey' | 'queryFn'>;

/** Reads one API answer through the cache. */
export function useGet<P extends PathOf<'get'>>(path: P, init: Init<P, 'get'>, options: Options<Answer<P, 'get'>> = {}) {
  return useQuery({ ...getQuery(path, init), ...options });
}

/** Queries that ask the outside world (live DNS checks): refreshed when asked, not after every change. */
export const LIVE = { live: true } as const;

/**
 * A change through the API; on success every cached answer is marked stale and the ones on screen
 * are asked again, so lists, counts and states agree with what was just changed. A change resolves
 * once those answers are back, so the page it leads to shows the change, not what the cache had; a
 * removal does not wait (what is on screen asks for an object that is gone, and the page moves on).
 */
export async function change<M extends Exclude<Method, 'get'>, P extends PathOf<M>>(method: M, path: P, init: Init<P, M>): Promise<Answer<P, M>> {
  const answer = await call(method, path, init).catch((e: unknown) => {
    // the platform went read-only meanwhile: every page shows it (its banner, disabled buttons)
    if (e instanceof ApiError && e.code === 'platform.read_only') refreshAll();
    throw e;
  });
  if (method === 'delete') refreshAll();
  else await refresh();
  return answer;
}

const refresh = () => queryClient.invalidateQueries({ predicate: (q) => !q.meta?.live });

/** Marks every cached answer stale and asks again for those on screen (after a change made with `call`). */
export const refreshAll = () => void refresh();
