// Steps of this process that must not interleave, run in the order they were asked for: keyed, so
// that steps of other keys go on side by side (two drivers of one agent changing the same folder).
const tails = new Map<string, Promise<void>>();

/** Runs `step` once every step asked for earlier with the same key has ended, whatever their outcome. */
export async function oneAtATime<T>(key: string, step: () => Promise<T>): Promise<T> {
  const earlier = tails.get(key);
  let ended!: () => void;
  const mine = new Promise<void>((resolve) => (ended = resolve));
  tails.set(key, mine);
  try {
    await earlier; // resolves only (never rejects): an earlier step's failure is its caller's
    return await step();
  } finally {
    ended();
    if (tails.get(key) === mine) tails.delete(key);
  }
}
