// Per-site PHP settings: what a customer may choose, within the bounds of the hosting's offer.
// Stored per site as the keys the customer chose (absent: the default); sent to the web server as
// the values to serve (effectivePhp). Sizes are whole megabytes, written like PHP does: 256M, 1G.
import { z } from 'zod';

/** A size as PHP writes it: a whole number of megabytes (M) or gigabytes (G). */
const SIZE = /^([1-9][0-9]{0,5})([MG])$/i;

export const phpSize = z
  .string()
  .max(8)
  .regex(SIZE, 'must be a size like 256M or 1G (whole megabytes or gigabytes)')
  .describe('a size like 256M or 1G');

/** Megabytes of a size that phpSize accepted. */
export function sizeMb(size: string): number {
  const m = SIZE.exec(size);
  if (!m) throw new Error(`not a size: ${size}`);
  return Number(m[1]) * (m[2]!.toUpperCase() === 'G' ? 1024 : 1);
}

/** A size as PHP and people read it: 1G for 1024 MB, else 256M. */
export const sizeText = (mb: number) => (mb % 1024 === 0 ? `${mb / 1024}G` : `${mb}M`);

/** max_input_vars: bounded by the platform (PHP's default is 1000). */
export const MAX_INPUT_VARS = 100_000;

export const sitePhpPatch = z.strictObject({
  memoryLimit: phpSize.nullable().optional().describe('memory_limit (at most the offer\'s phpMemoryMb); null: the default (the offer\'s phpMemoryMb)'),
  uploadMaxFilesize: phpSize.nullable().optional().describe('upload_max_filesize (at most the offer\'s phpUploadMaxMb); null: the default'),
  postMaxSize: phpSize.nullable().optional().describe('post_max_size (at least upload_max_filesize, at most the offer\'s phpUploadMaxMb); null: the default'),
  maxExecutionTime: z.number().int().min(1).max(3600).nullable().optional().describe('max_execution_time, seconds (at most the offer\'s phpMaxExecutionSeconds); null: the default (30)'),
  maxInputVars: z.number().int().min(1).max(MAX_INPUT_VARS).nullable().optional().describe('max_input_vars; null: the default (1000)'),
  displayErrors: z.boolean().nullable().optional().describe('display_errors (errors shown in pages; they are always logged to var/log/php); null: the default (off)'),
});
export type SitePhpPatch = z.output<typeof sitePhpPatch>;

/** What a site's customer chose, as stored (sites.php_settings). */
export interface SitePhpSettings {
  memoryLimitMb?: number;
  uploadMaxMb?: number;
  postMaxMb?: number;
  maxExecutionSeconds?: number;
  maxInputVars?: number;
  displayErrors?: boolean;
}

/** The values a site is served with (what the web server renders). */
export interface PhpValues {
  memoryLimitMb: number;
  uploadMaxMb: number;
  postMaxMb: number;
  maxExecutionSeconds: number;
  maxInputVars: number;
  displayErrors: boolean;
}

/** The offer's bounds on a site's settings. */
export interface PhpBounds {
  phpMemoryMb: number;
  phpUploadMaxMb: number;
  phpMaxExecutionSeconds: number;
}

const settingsShape = z.object({
  memoryLimit: z.string(),
  uploadMaxFilesize: z.string(),
  postMaxSize: z.string(),
  maxExecutionTime: z.number(),
  maxInputVars: z.number(),
  displayErrors: z.boolean(),
});

export const sitePhpOut = z.object({
  siteId: z.string(),
  domain: z.string(),
  values: settingsShape.describe('what the site is served with'),
  chosen: settingsShape.partial().describe('what its customer chose (a key left out: the default)'),
  max: settingsShape.omit({ displayErrors: true }).describe('the most the offer allows (max_input_vars: the platform)'),
  lowered: z.array(z.string()).describe('settings chosen above what the offer now allows: served at the offer\'s maximum'),
});
export type SitePhpOut = z.infer<typeof sitePhpOut>;

/** Reads a stored settings object, keeping only well-formed keys (an old or foreign key is ignored). */
export function storedPhp(raw: unknown): SitePhpSettings {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: SitePhpSettings = {};
  for (const k of ['memoryLimitMb', 'uploadMaxMb', 'postMaxMb', 'maxExecutionSeconds', 'maxInputVars'] as const) {
    const v = o[k];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) out[k] = v;
  }
  if (typeof o.displayErrors === 'boolean') out.displayErrors = o.displayErrors;
  return out;
}
