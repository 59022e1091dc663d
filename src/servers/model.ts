// Servers: the machines agents run on, with their roles and addresses.
import { isIP } from 'node:net';
import { z } from 'zod';
import { patchOf } from '../platform/validation.js';
import { serverRoles } from './rules.js';

const address = z.string().max(64).refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address');

export const serverCreate = z.strictObject({
  name: z.string().trim().toLowerCase().min(1).max(63).regex(/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/, 'must be letters, digits, dots and hyphens'),
  roles: z.array(z.enum(serverRoles)).min(1, 'give the server at least one role').max(serverRoles.length),
  addresses: z.array(address).max(32).default([]).describe('addresses the other servers reach it at (the edge forwards to a web server\'s first one)'),
  publicAddresses: z.array(address).max(32).default([]).describe('addresses the public reaches it at (an edge\'s are published in every zone); default: its addresses'),
});
export const serverPatch = patchOf(serverCreate.shape);

export const serverOut = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  addresses: z.array(z.string()),
  publicAddresses: z.array(z.string()),
  lastContactAt: z.string().nullable(),
  status: z.enum(['never', 'reachable', 'unreachable']).describe(
    'never: its agent never called the manager · reachable: its agent holds a long poll open, or called in the last 75 s (three long polls) · unreachable: no contact for longer',
  ),
  reachedRevision: z.number(),
  mode: z.enum(['unknown', 'render-only', 'apply']).describe('render-only: the agent writes configs without applying them'),
  lastError: z.string().nullable(),
  local: z.boolean().describe('the machine the manager runs on (in-process agent)'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const serverWithToken = serverOut.extend({ agentToken: z.string().describe('shown once: give it to `abri agent --token`') });

export type ServerRow = {
  id: string; name: string; roles: string[]; addresses: string[]; publicAddresses: string[]; agentTokenHash: string;
  lastContactAt: Date | string | null; reachedRevision: number; mode: 'unknown' | 'render-only' | 'apply'; lastError: string | null; local: boolean; createdAt: Date; updatedAt: Date;
};

export type ServerView = z.infer<typeof serverOut>;

/** A server as the API shows it; `status` comes from rules.reachability. */
export const serverView = (s: ServerRow, status: ServerView['status']): ServerView => ({
  id: s.id,
  name: s.name,
  roles: s.roles,
  addresses: s.addresses,
  publicAddresses: s.publicAddresses,
  lastContactAt: s.lastContactAt ? new Date(s.lastContactAt).toISOString() : null,
  status,
  reachedRevision: Number(s.reachedRevision),
  mode: s.mode,
  lastError: s.lastError,
  local: s.local,
  createdAt: new Date(s.createdAt).toISOString(),
  updatedAt: new Date(s.updatedAt).toISOString(),
});

/** Why an object is not live, as a stable code the UI translates (node/protocol.ts OBJECT_ERROR_CODES, provisioning.*). */
const problemCode = z.string().nullable().optional().describe('stable code of the message (translate by code; the message is its English text)');
const problemParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional().describe('parameters of the code');

/** What the servers concerned reported about an object. */
export const provisioningOut = z.object({
  status: z.enum(['pending', 'rendered', 'live', 'error']).describe(
    'pending: not yet applied everywhere · rendered: written on a render-only node, not served · live: served · error: see message',
  ),
  message: z.string().nullable(),
  code: problemCode,
  params: problemParams,
  servers: z.array(z.object({
    serverId: z.string(), name: z.string(), status: z.enum(['pending', 'rendered', 'live', 'error']), message: z.string().nullable(),
    code: problemCode, params: problemParams, at: z.string().nullable(),
  })),
});
export type Provisioning = z.infer<typeof provisioningOut>;
