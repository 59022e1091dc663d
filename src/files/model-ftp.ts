// FTP users of hostings: API schemas and answer shapes.
import { z } from 'zod';
import { provisioningOut, type Provisioning } from '../servers/model.js';
import { MAX_USER_NAME, SUFFIX } from './rules.js';

const folder = z.string().max(1100, 'must be at most 1100 characters')
  .describe('the restriction folder, relative to the hosting\'s home: "" (the whole home; sessions start in /var/www) or var/www and its sub-folders, e.g. var/www/blog; the user sees nothing outside it');

export const ftpUserCreate = z.strictObject({
  name: z.string().min(1, 'must not be empty').max(MAX_USER_NAME - 2, `must be at most ${MAX_USER_NAME - 2} characters`)
    .regex(SUFFIX, 'must be lower-case letters (a-z) and digits, with single "-" or "_" between them')
    .describe('the name after the hosting\'s prefix: "web" in hosting h12 makes the FTP user h12-web (the whole name at most 32 characters)'),
  folder: folder.default(''),
  enabled: z.boolean().default(true),
});

export const ftpUserPatch = z.strictObject({
  folder: folder.optional(),
  enabled: z.boolean().optional().describe('false: it can no longer sign in; its password is kept'),
});

export const ftpUserOut = z.object({
  id: z.string(),
  name: z.string().describe('the login name'),
  hostingId: z.string(),
  hostingName: z.string(),
  host: z.string().describe('where to connect: the address of the hosting\'s web server'),
  port: z.number().int().describe('the FTP control port (ABRI_FTP_PORT); TLS with AUTH TLS (explicit FTPS)'),
  passivePorts: z.string().describe('the passive data ports, first-last (ABRI_FTP_PASSIVE), for firewalls'),
  folder: z.string(),
  startDirectory: z.string().describe('where a session starts: the folder is the session\'s / (the whole home: /var/www)'),
  enabled: z.boolean(),
  locked: z.boolean().describe('true while the hosting is not active (suspended or terminated): no sign-in, whatever enabled says'),
  passwordChangedAt: z.string(),
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ftpUserWithPassword = ftpUserOut.extend({
  newPassword: z.string().optional().describe('shown once, in this answer only: Abri keeps only its SHA-512 crypt hash (reset it to get a new one)'),
});

export type FtpUserView = z.infer<typeof ftpUserOut>;

export interface FtpUserRow {
  id: string; name: string; hostingId: string; hostingName: string; hostingStatus: string; customerId: string; serverId: string | null;
  serverName: string | null; serverAddresses: string[] | null; folder: string; passwordHash: string; passwordChangedAt: Date | string;
  enabled: boolean; revision: number | string; createdAt: Date | string; updatedAt: Date | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export const ftpUserView = (u: FtpUserRow, where: { port: number; passivePorts: string }, provisioning: Provisioning, start: string): FtpUserView => ({
  id: u.id,
  name: u.name,
  hostingId: u.hostingId,
  hostingName: u.hostingName,
  host: u.serverAddresses?.[0] ?? u.serverName ?? '',
  port: where.port,
  passivePorts: where.passivePorts,
  folder: u.folder,
  startDirectory: start,
  enabled: u.enabled,
  locked: u.hostingStatus !== 'active',
  passwordChangedAt: iso(u.passwordChangedAt),
  provisioning,
  createdAt: iso(u.createdAt),
  updatedAt: iso(u.updatedAt),
});
