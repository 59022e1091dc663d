// The public works page in the agent protocol: a server of the `status` role serves it with its own
// web server. The desired state names only the page's digest; the agent fetches the page itself
// (GET /agent/v1/works-page) when its digest differs from the one it serves.
import { z } from 'zod';

export const desiredStatusPage = z.object({
  /** the page to serve (null: none rendered yet) */
  page: z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
});

/** The page's files, as the manager hands them out: paths relative to the page's root. */
export const worksPageBundle = z.object({
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.array(z.object({ path: z.string().max(200), content: z.string() })).max(100_000),
});

export type DesiredStatusPage = z.infer<typeof desiredStatusPage>;
export type WorksPageBundle = z.infer<typeof worksPageBundle>;
