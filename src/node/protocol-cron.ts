// The agent protocol, the scheduled tasks of a web server's hostings and the runs it reports.
import { z } from 'zod';

/**
 * A scheduled task of an active hosting on this web server: `command` run in the hosting's jail as
 * its uid at the times of `schedule` (crontab, UTC) when enabled, killed after `timeLimit` seconds;
 * once more each time `runRequests` ("run now") grows.
 */
export const desiredCronTask = z.object({
  id: z.string(),
  hosting: z.string(),
  uid: z.number().int(),
  home: z.string(),
  command: z.string(),
  schedule: z.string(),
  timeLimit: z.number().int(),
  enabled: z.boolean(),
  runRequests: z.number().int(),
});

/** One run of a scheduled task, as the web server reports it (POST /agent/v1/cron-runs). */
export const cronRunReport = z.strictObject({
  taskId: z.string().uuid(),
  startedAt: z.string().datetime(),
  endedAt: z.string().datetime(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  output: z.string().max(70_000),
  truncated: z.boolean(),
  requested: z.boolean(),
  /** which resource limit stopped it (src/jail/render-limits.ts), null when none did; absent from agents before it */
  stoppedBy: z.enum(['time_limit', 'memory', 'processes', 'cpu_time', 'file_size']).nullable().default(null),
});
export type DesiredCronTask = z.infer<typeof desiredCronTask>;
export type CronRunReport = z.infer<typeof cronRunReport>;
