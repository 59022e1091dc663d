// Off-server backups in the agent protocol (src/backups). A web server gets, per hosting with a
// repository, what it needs to back its home up with restic over SFTP: the backup server's address
// and port, the hosting's account there, its private key and restic password (secrets of this
// hosting only: no web server receives another server's hostings' keys), and the offer's retention.
// A backup server gets the accounts to keep: name, uid, and the one public key each accepts.
import { z } from 'zod';
import { desiredRestore } from './protocol-snapshots.js';

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
});

export type DesiredBackup = z.infer<typeof desiredBackup>;
export type DesiredBackupAccount = z.infer<typeof desiredBackupAccount>;
export type BackupRunReport = z.infer<typeof backupRunReport>;
