// The agent protocol, the ways into a hosting a server keeps: its SFTP and FTP users (web role), its
// MariaDB databases and users (database role).
import { z } from 'zod';

/** A MariaDB database; read-only: its hosting is over its space quota (users keep SELECT, DELETE, DROP…). */
export const desiredDatabase = z.object({ id: z.string(), name: z.string(), readOnly: z.boolean() });
/**
 * A MariaDB user ('name'@'%'): its mysql_native_password string, locked when its hosting is not active, its databases (names);
 * consoleAuth: the database admin's second way in (its console password's mysql_native_password string), when the user has one.
 */
export const desiredDatabaseUser = z.object({
  id: z.string(),
  name: z.string(),
  authString: z.string(),
  consoleAuth: z.string().nullable().optional(),
  locked: z.boolean(),
  databases: z.array(z.string()),
});

/** A user of a hosting's files on this web server: its name, its hosting (uid, home), the folder it is kept to (relative to home). */
const filesUser = z.object({
  id: z.string(),
  name: z.string(),
  hosting: z.string(),
  uid: z.number().int(),
  home: z.string(),
  folder: z.string(),
});

/**
 * An SFTP user of a hosting on this web server: a Unix account with the hosting's uid and gid,
 * chrooted by Abri's sshd to `folder` (relative to `home`). `active` false (disabled, or its hosting
 * suspended or terminated): it cannot sign in. passwordHash: a SHA-512 crypt string, or null (keys only).
 */
export const desiredSftpUser = filesUser.extend({
  passwordHash: z.string().nullable(),
  keys: z.array(z.object({ type: z.string(), blob: z.string() })),
  active: z.boolean(),
  /** SSH shell access (its offer allows SSH): its login shell enters the hosting's jail (bubblewrap) */
  shell: z.boolean().default(false),
});

/**
 * An FTP user of a hosting on this web server: a Pure-FTPd virtual user mapped to the hosting's uid
 * and gid, chrooted to `folder` (relative to `home`). `active` false: it cannot sign in.
 * passwordHash: a SHA-512 crypt string.
 */
export const desiredFtpUser = filesUser.extend({
  passwordHash: z.string(),
  active: z.boolean(),
});

export type DesiredDatabase = z.infer<typeof desiredDatabase>;
export type DesiredSftpUser = z.infer<typeof desiredSftpUser>;
export type DesiredFtpUser = z.infer<typeof desiredFtpUser>;
export type DesiredDatabaseUser = z.infer<typeof desiredDatabaseUser>;
