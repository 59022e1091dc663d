// Databases and database users: API schemas and answer shapes.
import { z } from 'zod';
import { reference } from '../platform/validation.js';
import { provisioningOut, type Provisioning } from '../servers/model.js';
import { MAX_DATABASE_NAME, MAX_USER_NAME, SUFFIX } from './rules.js';

const suffix = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
    .regex(SUFFIX, 'must be lower-case letters (a-z), digits and _');

export const databaseCreate = z.strictObject({
  name: suffix(MAX_DATABASE_NAME - 2).describe('the name after the hosting\'s prefix: "wp" in hosting h12 makes the database h12_wp (a-z, 0-9, _; the whole name at most 64 characters)'),
  user: z.boolean().default(false).describe('also create a user of the same name with every privilege on it (its password is in the answer, shown once)'),
});

const databaseRefs = z.array(reference(100)).max(1000).describe('databases of the same hosting (ids or names) the user has every privilege on');

export const databaseUserCreate = z.strictObject({
  name: suffix(MAX_USER_NAME - 2).describe('the name after the hosting\'s prefix: "wp" in hosting h12 makes the user h12_wp (the whole name at most 32 characters)'),
  databases: databaseRefs.default([]),
});

export const databaseUserPatch = z.strictObject({ databases: databaseRefs.describe('the databases the user has privileges on from now on (the whole list: the others are revoked)') });

/** Where PHP connects: the database server's first address (or its name when it has none) and the MariaDB port. */
const connection = {
  host: z.string().describe('host name to use from PHP (mysqli/PDO): the address of the hosting\'s database server'),
  port: z.number().int().describe('MariaDB port (ABRI_DATABASE_PORT)'),
};

export const readOnlyOut = z.object({
  since: z.string(),
  code: z.string().describe('quota.database_space_exceeded (translate by code)'),
  message: z.string(),
  params: z.object({ usedBytes: z.number(), maxBytes: z.number(), resumeBelowBytes: z.number() }),
}).nullable().describe('set when writes are refused: why, and from which size they come back (null: writes allowed)');

export const databaseUserOut = z.object({
  id: z.string(),
  name: z.string().describe('the MariaDB user name'),
  hostingId: z.string(),
  hostingName: z.string(),
  ...connection,
  databases: z.array(z.string()).describe('names of the databases it has privileges on'),
  passwordChangedAt: z.string(),
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const databaseUserWithPassword = databaseUserOut.extend({
  password: z.string().describe('shown once, in this answer only: Abri keeps only MariaDB\'s hash of it (reset it to get a new one)'),
});

export const databaseOut = z.object({
  id: z.string(),
  name: z.string().describe('the MariaDB database name'),
  hostingId: z.string(),
  hostingName: z.string(),
  ...connection,
  users: z.array(z.string()).describe('names of the users with privileges on it'),
  sizeBytes: z.number().nullable().describe('size on the database server\'s disk, measured every few minutes by its agent (null: not measured yet)'),
  measuredAt: z.string().nullable(),
  readOnly: readOnlyOut,
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
  user: databaseUserWithPassword.optional().describe('the user created with it (when asked), with its password shown once'),
});

export const databaseUsageOut = z.object({
  hostingId: z.string(),
  hostingName: z.string(),
  databases: z.object({ used: z.number(), max: z.number() }),
  users: z.object({ used: z.number(), max: z.number() }).describe('users count against the same maximum as databases (the offer\'s maxDatabases)'),
  space: z.object({
    usedBytes: z.number().describe('sum of the measured sizes of the hosting\'s databases'),
    maxBytes: z.number().describe('the offer\'s databaseMb in bytes (1 MB = 1,048,576 bytes)'),
    measuredAt: z.string().nullable().describe('the oldest measure of the sum (null: a database was not measured yet)'),
  }),
  readOnly: readOnlyOut,
  server: z.object({ id: z.string(), name: z.string(), ...connection }).nullable().describe('the database server of the hosting (null until its first database or user)'),
});

export type DatabaseView = z.infer<typeof databaseOut>;
export type DatabaseUserView = z.infer<typeof databaseUserOut>;

export interface DatabaseRow {
  id: string; name: string; hostingId: string; hostingName: string; customerId: string; serverId: string; serverName: string; serverAddresses: string[];
  sizeBytes: string | number | null; measuredAt: Date | string | null; readOnlySince: Date | string | null; revision: number | string;
  users: string[]; createdAt: Date | string; updatedAt: Date | string;
}

export interface DatabaseUserRow {
  id: string; name: string; hostingId: string; hostingName: string; customerId: string; serverId: string; serverName: string; serverAddresses: string[];
  passwordChangedAt: Date | string; revision: number | string; databases: string[]; createdAt: Date | string; updatedAt: Date | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** Where PHP connects to a server (its first address, else its name). */
export const hostOf = (s: { serverName: string; serverAddresses: string[] }) => s.serverAddresses[0] ?? s.serverName;

export const databaseView = (d: DatabaseRow, port: number, provisioning: Provisioning, readOnly: z.infer<typeof readOnlyOut>): DatabaseView => ({
  id: d.id,
  name: d.name,
  hostingId: d.hostingId,
  hostingName: d.hostingName,
  host: hostOf(d),
  port,
  users: d.users,
  sizeBytes: d.sizeBytes === null ? null : Number(d.sizeBytes),
  measuredAt: d.measuredAt ? iso(d.measuredAt) : null,
  readOnly,
  provisioning,
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});

export const databaseUserView = (u: DatabaseUserRow, port: number, provisioning: Provisioning): DatabaseUserView => ({
  id: u.id,
  name: u.name,
  hostingId: u.hostingId,
  hostingName: u.hostingName,
  host: hostOf(u),
  port,
  databases: u.databases,
  passwordChangedAt: iso(u.passwordChangedAt),
  provisioning,
  createdAt: iso(u.createdAt),
  updatedAt: iso(u.updatedAt),
});
