// Which servers' agents hold a long poll open right now, in this manager process. An agent waiting
// on the manager is reachable whatever its last contact says (tests move the clock past it).
const open = new WeakMap<object, Map<string, number>>();

function pollsOf(app: { db: object }): Map<string, number> {
  let polls = open.get(app.db);
  if (!polls) open.set(app.db, (polls = new Map()));
  return polls;
}

/** Marks a long poll of the server's agent as open; call the returned function when it ends. */
export function pollOpened(app: { db: object }, serverId: string): () => void {
  const polls = pollsOf(app);
  polls.set(serverId, (polls.get(serverId) ?? 0) + 1);
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    const n = (polls.get(serverId) ?? 1) - 1;
    if (n > 0) polls.set(serverId, n);
    else polls.delete(serverId);
  };
}

/** Whether an agent of this server is waiting on a long poll now. */
export const isPolling = (app: { db: object }, serverId: string) => (pollsOf(app).get(serverId) ?? 0) > 0;
