// A server's desired state is rebuilt whole for each revision its agent fetches (the protocol has no
// deltas). While writes flood in (an import, 10,000 zones), an agent that applies quickly would ask
// again at once and the manager would spend its time rebuilding the same large state. So a new
// state is served no sooner than PACE × (the last build's duration) after that build ended (at most
// MAX_WAIT_MS later): building takes at most 1/(PACE + 1) of the manager's time per agent, the
// revisions that arrive meanwhile are served together, and a change after a quiet time is served at
// once.
const PACE = 3;
const MAX_WAIT_MS = 5000;

const lastBuild = new Map<string, { end: number; ms: number }>();

/** Waits until this server's next build is due (or the request is abandoned). */
export async function paceBuild(serverId: string, signal?: AbortSignal): Promise<void> {
  const last = lastBuild.get(serverId);
  if (!last) return;
  const wait = Math.min(MAX_WAIT_MS, last.end + PACE * last.ms - performance.now());
  if (wait <= 0 || signal?.aborted) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, wait);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs a build of this server's state, timing it for the next paceBuild. */
export async function timedBuild<T>(serverId: string, build: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await build();
  } finally {
    const end = performance.now();
    lastBuild.set(serverId, { end, ms: end - t0 });
  }
}
