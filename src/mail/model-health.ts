// The health of a mail server's sending addresses as the API shows it to staff.
import { z } from 'zod';
import type { MailHealthRow } from './store-health.js';

const healthProblem = z.object({
  code: z.string().describe('mail_health.ptr_missing · ptr_mismatch · not_forward_confirmed · listed · dnsbl_refused · lookup_failed · no_helo_name · no_address (translate by code)'),
  params: z.record(z.string(), z.string()),
  message: z.string().describe('what is wrong and what to fix, in English'),
});

export const mailHealthOut = z.object({
  serverId: z.string(),
  server: z.string(),
  helo: z.string().nullable().describe('the name the server greets with, which its addresses\' PTR must name (the server\'s name, or <name>.<platform domain>)'),
  status: z.enum(['ok', 'problems', 'unchecked']).describe('ok: every address passed · problems: see problems · unchecked: not checked yet'),
  checkedAt: z.string().nullable(),
  blocklists: z.array(z.string()).describe('the DNS blocklists checked (ABRI_MAIL_DNSBL)'),
  addresses: z.array(z.object({
    address: z.string(),
    ptr: z.array(z.string()).describe('the reverse DNS names of the address'),
    ptrMatches: z.boolean(),
    forwardConfirmed: z.boolean().describe('the HELO name resolves to the address'),
    listings: z.array(z.object({ zone: z.string(), status: z.enum(['clean', 'listed', 'refused', 'failed']), answers: z.array(z.string()) })),
  })),
  problems: z.array(healthProblem),
});
export type MailHealthView = z.infer<typeof mailHealthOut>;

export const mailHealthView = (server: { id: string; name: string }, blocklists: string[], row: MailHealthRow | null): MailHealthView => ({
  serverId: server.id,
  server: server.name,
  helo: row?.helo ?? null,
  status: !row ? 'unchecked' : row.ok ? 'ok' : 'problems',
  checkedAt: row ? row.checkedAt.toISOString() : null,
  blocklists,
  addresses: (row?.addresses ?? []).map(({ problems: _, ...a }) => a),
  problems: row?.problems ?? [],
});
