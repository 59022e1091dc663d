// SFTP users of hostings: API schemas and answer shapes.
import { z } from 'zod';
import { provisioningOut, type Provisioning } from '../servers/model.js';
import { MAX_KEYS, MAX_USER_NAME, SUFFIX } from './rules.js';

const keyLine = z.string().min(1, 'must not be empty').max(16_500, 'must be at most 16,500 characters')
  .describe('an OpenSSH public key line, as in ~/.ssh/id_ed25519.pub: ssh-ed25519, ssh-rsa (2048 bits or more) or ecdsa-sha2-nistp256/384/521');
const folder = z.string().max(1100, 'must be at most 1100 characters')
  .describe('the restriction folder, relative to the hosting\'s home: "" (the whole home; sessions start in var/www) or var/www and its sub-folders, e.g. var/www/blog; the user sees nothing outside it');

const shellField = z.boolean()
  .describe('SSH shell access (only when the hosting\'s offer allows SSH): the user signs in to a jailed shell (bubblewrap, as the hosting\'s uid, with PHP CLI, the mysql client, git, rsync, unzip and Composer) that sees the whole home; its folder must be ""');

export const sftpUserCreate = z.strictObject({
  name: z.string().min(1, 'must not be empty').max(MAX_USER_NAME - 2, `must be at most ${MAX_USER_NAME - 2} characters`)
    .regex(SUFFIX, 'must be lower-case letters (a-z) and digits, with single "-" or "_" between them')
    .describe('the name after the hosting\'s prefix: "web" in hosting h12 makes the SFTP user h12-web (the whole name at most 32 characters)'),
  folder: folder.default(''),
  password: z.boolean().default(true).describe('give it a generated password (in the answer, shown once); false: public keys only'),
  keys: z.array(keyLine).max(MAX_KEYS).default([]).describe('public keys it may sign in with'),
  enabled: z.boolean().default(true),
  shell: shellField.default(false),
});

export const sftpUserPatch = z.strictObject({
  folder: folder.optional(),
  enabled: z.boolean().optional().describe('false: it can no longer sign in (open sessions end); its keys and password are kept'),
  shell: shellField.optional(),
});

export const sftpKeyCreate = z.strictObject({ key: keyLine });

export const sftpKeyOut = z.object({
  id: z.string(),
  type: z.string(),
  bits: z.number(),
  fingerprint: z.string().describe('SHA256:… as ssh-keygen -l shows it'),
  comment: z.string(),
  createdAt: z.string(),
});

export const sftpUserOut = z.object({
  id: z.string(),
  name: z.string().describe('the login name'),
  hostingId: z.string(),
  hostingName: z.string(),
  host: z.string().describe('where to connect: the address of the hosting\'s web server'),
  port: z.number().int().describe('the SFTP port (ABRI_SFTP_PORT)'),
  folder: z.string(),
  startDirectory: z.string().describe('where a session starts: the folder appears as /files (the home: /files/var/www)'),
  enabled: z.boolean(),
  shell: z.boolean().describe('SSH shell access in the hosting\'s jail (else SFTP only)'),
  locked: z.boolean().describe('true while the hosting is not active (suspended or terminated): no sign-in, whatever enabled says'),
  password: z.boolean().describe('whether a password is set (it is never shown again)'),
  passwordChangedAt: z.string().nullable(),
  keys: z.array(sftpKeyOut),
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const sftpUserWithPassword = sftpUserOut.extend({
  newPassword: z.string().optional().describe('shown once, in this answer only: Abri keeps only its SHA-512 crypt hash (reset it to get a new one)'),
});

export type SftpUserView = z.infer<typeof sftpUserOut>;

export interface SftpKeyRow { id: string; userId: string; type: string; blob: string; bits: number; fingerprint: string; comment: string; createdAt: Date | string }

export interface SftpUserRow {
  id: string; name: string; hostingId: string; hostingName: string; hostingStatus: string; customerId: string; serverId: string | null;
  hostingHome: string; serverName: string | null; serverAddresses: string[] | null; folder: string; passwordHash: string | null; passwordChangedAt: Date | string | null;
  enabled: boolean; shell: boolean; revision: number | string; createdAt: Date | string; updatedAt: Date | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export const keyView = (k: SftpKeyRow) => ({ id: k.id, type: k.type, bits: k.bits, fingerprint: k.fingerprint, comment: k.comment, createdAt: iso(k.createdAt) });

export const sftpUserView = (u: SftpUserRow, keys: SftpKeyRow[], port: number, provisioning: Provisioning, start: string): SftpUserView => ({
  id: u.id,
  name: u.name,
  hostingId: u.hostingId,
  hostingName: u.hostingName,
  host: u.serverAddresses?.[0] ?? u.serverName ?? '',
  port,
  folder: u.folder,
  startDirectory: start,
  enabled: u.enabled,
  shell: u.shell,
  locked: u.hostingStatus !== 'active',
  password: u.passwordHash !== null,
  passwordChangedAt: u.passwordChangedAt ? iso(u.passwordChangedAt) : null,
  keys: keys.map(keyView),
  provisioning,
  createdAt: iso(u.createdAt),
  updatedAt: iso(u.updatedAt),
});
