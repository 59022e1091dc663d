// The logs of a site as the API shows them: the last lines of its access or error log (Apache) or of
// its hosting's PHP error log, read on its web server by the agent (a `site-logs` query).
import { z } from 'zod';

export const LOG_KINDS = ['access', 'error', 'php'] as const;
export const LOG_LINE_CHOICES = [50, 200, 1000] as const;
export const MAX_LOG_LINES = 1000;
/** A line is cut beyond this many characters. */
export const MAX_LOG_LINE = 2000;

export const logKind = z.enum(LOG_KINDS).describe('access: Apache\'s access log of the site · error: Apache\'s error log of the site · php: PHP\'s error log of the hosting (every site of the hosting)');

export const siteLogsQuery = z.object({
  kind: logKind.default('access'),
  lines: z.coerce.number().int().min(1).max(MAX_LOG_LINES).default(200).describe(`how many of the last lines (matching q), at most ${MAX_LOG_LINES}`),
  q: z.string().max(200).optional().describe('only the lines that contain this text (case-insensitive): a status code, an address, a path, a level…'),
});

/** What the agent answers (and the manager passes on). */
export const siteLogsAnswer = z.object({
  exists: z.boolean().describe('false: the file is not there (yet): nothing was logged since it was created or rotated'),
  lines: z.array(z.string().max(MAX_LOG_LINE + 16)).max(MAX_LOG_LINES).describe('the last matching lines, oldest first; control characters are shown as \\xNN'),
  size: z.number().int().min(0).describe('size of the current file, bytes'),
  modifiedAt: z.string().datetime().nullable().describe('when the file was last written'),
  complete: z.boolean().describe('true: the whole file was searched; false: only its last part (large files are read from the end, a few MiB at most)'),
});

export const siteLogsOut = siteLogsAnswer.extend({
  site: z.string().uuid(),
  domain: z.string(),
  kind: logKind,
  file: z.string().describe('the file, as the customer finds it over SFTP (relative to the hosting\'s home)'),
});

/** The arguments of a `site-logs` query. */
export const siteLogsArgs = z.strictObject({
  site: z.string().uuid(),
  hosting: z.string().uuid(),
  kind: logKind,
  lines: z.number().int().min(1).max(MAX_LOG_LINES),
  q: z.string().max(200).nullable(),
});

export type SiteLogsArgs = z.infer<typeof siteLogsArgs>;
export type SiteLogsAnswer = z.infer<typeof siteLogsAnswer>;

/** Where a log lives, relative to the hosting's home (render-apache-vhost.ts, render-fpm-pool.ts). */
export const logFile = (kind: (typeof LOG_KINDS)[number], domain: string) => (kind === 'php' ? 'var/log/php/error.log' : `var/log/${domain}-${kind}.log`);
