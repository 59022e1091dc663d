// Off-server backups in the agent protocol (src/backups). A web server gets, per hosting with a
// repository, what it needs to back its home up with restic over SFTP: the backup server's address
// and port, the hosting's account there, its private key and restic password (secrets of this
// hosting only: no web server receives another server's hostings' keys), and the offer's retention.
// A database server gets the same secrets for the hostings whose databases it holds (only those), to
// dump them into the hosting's repository; a mail server for the hostings whose mailboxes it holds.
// Each server is told which parts of the hosting are its own (files, databases, mailboxes) and the
// restores of those parts it must do.
// A backup server gets the accounts to keep: name, uid, and the one public key each accepts.
import { z } from 'zod';
import { desiredRestore } from './protocol-snapshots.js';

/** A restore of a part this server holds (requested or running): src/backups/apply-restore-parts.ts. */
export const desiredPartRestore = z.object({
  id: z.string().uuid(),
  snapshot: z.string().regex(/^[0-9a-f]{8,64}$/),
  /** db:<name> or mail:<address> */
  part: z.string().max(320),
  mode: z.enum(['new', 'in-place']),
  /** new: the database restored into, or the mail folder; in-place: the database or mailbox itself */
  target: z.string().max(320),
});

/** A mailbox of the hosting on this (mail) server: its id (its home's name) and address (its Dovecot user). */
export const desiredBackupMailbox = z.object({ id: z.string().uuid(), address: z.string().max(320) });

export const desiredBackup = z.object({
  hosting: z.string(),
  name: z.string(),
  home: z.string(),
  server: z.object({ address: z.string(), port: z.number().int().min(1).max(65535) }),
  account: z.string(),
  password: z.string(),
  privateKey: z.string(),
  keepDaily: z.number().int().min(1),
  keepWeekly: z.number().int().min(0),
  /** backups asked for on demand so far: one is made when it grows */
  requests: z.number().int().min(0).default(0),
  /** this server backs the hosting's home up (its web server) */
  files: z.boolean().default(true),
  /** the hosting's databases on this server, dumped into its repository */
  databases: z.array(z.string()).default([]),
  /** the hosting's mailboxes on this server, copied into its repository */
  mailboxes: z.array(desiredBackupMailbox).default([]),
  /** restores of parts this server holds (databases, mailboxes) */
  partRestores: z.array(desiredPartRestore).default([]),
  /** restores from its backups to do (requested or running; `snapshot` is the restic snapshot's id; absent from older managers: none) */
  restores: z.array(desiredRestore).default([]),
  /** checks of a sample of the repository asked for so far (one `restic check --read-data-subset=<subset>` when it grows) */
  check: z.object({ requests: z.number().int().min(0), subset: z.string().regex(/^\d{1,3}\/\d{1,3}$/) }).default({ requests: 0, subset: '1/10' }),
  /** a terminated hosting whose files are still kept (not purged), with a restore to do: only its restores, no backup, no check */
  restoreOnly: z.boolean().default(false),
  /** the hosting's uid (what a restore runs as when the hosting is not among the web hostings: restoreOnly) */
  uid: z.number().int().optional(),
});

export const desiredBackupAccount = z.object({
  hosting: z.string(),
  account: z.string(),
  uid: z.number().int(),
  publicKey: z.string(),
});

/** One backup of a hosting as the web server reports it (POST /agent/v1/backup-runs), as soon as it ends. */
export const backupRunReport = z.strictObject({
  hosting: z.string().uuid(),
  /** a backup (default), or a `restic check` of a sample of the repository (ok, error; no snapshot nor bytes) */
  kind: z.enum(['backup', 'check']).default('backup'),
  startedAt: z.string().datetime(),
  endedAt: z.string().datetime(),
  ok: z.boolean(),
  /** the new restic snapshot's id (ok) */
  snapshot: z.string().regex(/^[0-9a-f]{8,64}$/).nullable(),
  /** what this backup added to the repository, and the size of the files it saved */
  bytesAdded: z.number().int().min(0).nullable(),
  totalBytes: z.number().int().min(0).nullable(),
  error: z.string().max(4000).nullable(),
  /** what was backed up: files (the home; absent from older agents), db:<name>, mail:<address> */
  part: z.string().max(320).default('files'),
});

/** What a server says of a restore of a part (POST /agent/v1/backup-restores): started, or finished with its verdict. */
export const partRestoreReport = z.strictObject({
  id: z.string().uuid(),
  status: z.enum(['running', 'done', 'failed']),
  at: z.string().datetime(),
  /** in place: the snapshot (tagged safety) of the part as it was just before */
  safetySnapshot: z.string().regex(/^[0-9a-f]{8,64}$/).nullable().default(null),
  code: z.string().regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/).max(64).nullable().default(null),
  message: z.string().max(2000).nullable().default(null),
});

export type DesiredBackup = z.infer<typeof desiredBackup>;
export type DesiredBackupAccount = z.infer<typeof desiredBackupAccount>;
export type BackupRunReport = z.infer<typeof backupRunReport>;
export type DesiredPartRestore = z.infer<typeof desiredPartRestore>;
export type PartRestoreReport = z.infer<typeof partRestoreReport>;
