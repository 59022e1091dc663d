// Where the public works page is published: the outside targets (rsync over SSH) as the API takes
// and shows them, and the status servers' state of the page.
import { z } from 'zod';

export const workTargetCreate = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and hyphens').describe('a name of yours for it'),
  host: z.string().min(1).max(253).describe('its host name or IP address'),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().min(1).max(32).describe('the SSH user Abri signs in as (with the key pair it makes for this target)'),
  path: z.string().min(2).max(500).describe('an absolute folder given to Abri alone: the page goes to <path>/current (a link swapped to each version)'),
  hostKey: z.string().min(1).max(2000).describe("the server's public host key, as `ssh-keyscan -p PORT HOST` prints it: Abri pushes to no other"),
});

export const workTargetOut = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  username: z.string(),
  path: z.string(),
  hostKey: z.string(),
  publicKey: z.string().describe("the key Abri signs in with: add it to the user's ~/.ssh/authorized_keys on the target"),
  state: z.enum(['pending', 'published', 'failing']).describe('published: it has the current page · pending: a push is due · failing: the last push failed (retried)'),
  pushedAt: z.string().nullable().describe('when the page was last pushed'),
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable().describe('why the last push failed (null after a success)'),
  failures: z.number().int().describe('failed pushes in a row'),
  createdAt: z.string(),
});

export type WorkTargetInput = z.output<typeof workTargetCreate>;
export type WorkTargetView = z.infer<typeof workTargetOut>;
