// A test hook that makes crash tests deterministic: with ABRI_TEST_PAUSE_AT=<point>[,<point>…] the
// agent stops the first time an apply reaches one of those points, writes
// <ABRI_TEST_PAUSE_DIR>/<point>.paused (its pid) and waits until <point>.release exists. A test
// kills it there (SIGKILL) or releases it. Without the variable nothing pauses and nothing is read.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where an apply can be paused: after writing files (before their validation), before and after a reload. */
export const PAUSE_POINTS = [
  'accounts-written', // the new Unix accounts are in /etc/passwd, their homes not made yet
  'fpm-written', // the new PHP-FPM pools are on disk (journal kept), not validated yet
  'fpm-validated', // validated, the FPM reload not sent yet
  'apache-written', // the new vhosts are on disk (journal kept), not validated yet
  'apache-validated', // validated, the graceful restart not sent yet
  'apache-reloaded', // Apache runs the new vhosts; the journal is not dropped yet
  'edge-written', // HAProxy's new configuration is on disk, not validated yet
] as const;
export type PausePoint = (typeof PAUSE_POINTS)[number];
export type Pause = (point: PausePoint) => Promise<void>;

/** The pause hook the environment asks for, or undefined (production). */
export function pauseFromEnv(env: NodeJS.ProcessEnv = process.env): Pause | undefined {
  const wanted = new Set(
    (env.ABRI_TEST_PAUSE_AT ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
  if (!wanted.size) return undefined;
  const unknown = [...wanted].filter((p) => !(PAUSE_POINTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`ABRI_TEST_PAUSE_AT: unknown pause point(s) ${unknown.join(', ')} (known: ${PAUSE_POINTS.join(', ')})`);
  const dir = env.ABRI_TEST_PAUSE_DIR;
  if (!dir) throw new Error('ABRI_TEST_PAUSE_AT needs ABRI_TEST_PAUSE_DIR (where the agent says it paused)');
  const done = new Set<string>();
  return async (point) => {
    if (!wanted.has(point) || done.has(point)) return;
    done.add(point);
    await writeFile(path.join(dir, `${point}.paused`), `${process.pid}\n`);
    while (!existsSync(path.join(dir, `${point}.release`))) await new Promise((r) => setTimeout(r, 20));
  };
}
