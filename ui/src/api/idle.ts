// Whether the page has settled, for the browser tests: window.__abriIdle() is true once no API call
// is under way, no query on screen waits for its answer (nor for its first fetch: a query built by
// a render is observed only after it), and React has been handed every answer. Tests wait for it
// instead of for the network to stay quiet for half a second, which is slower and only a guess.
import { notifyManager, type Query, type QueryClient } from '@tanstack/react-query';

declare global {
  interface Window {
    __abriIdle?: () => boolean;
  }
}

let calls = 0;
let notifications = 0;

/** Counts an API call while it is under way. */
export async function counted<T>(call: Promise<T>): Promise<T> {
  calls++;
  try {
    return await call;
  } finally {
    calls--;
  }
}

export function watchIdle(client: QueryClient) {
  const unobserved = new Set<Query>();
  client.getQueryCache().subscribe((e) => {
    if (e.type === 'added') unobserved.add(e.query);
    else if (e.type === 'observerAdded' || e.type === 'updated' || e.type === 'removed') unobserved.delete(e.query);
  });
  // the default scheduler (a timeout), counted: until it runs, React has not seen the new answers
  notifyManager.setScheduler((run) => {
    notifications++;
    setTimeout(() => {
      try {
        run();
      } finally {
        notifications--;
      }
    }, 0);
  });
  const waiting = (q: Query) => q.state.fetchStatus === 'fetching' || (q.state.status === 'pending' && (q.isActive() || unobserved.has(q)));
  window.__abriIdle = () => calls === 0 && notifications === 0 && !client.getQueryCache().getAll().some(waiting);
}
