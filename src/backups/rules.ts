// Off-server backups, the pure part: a hosting's account on its backup server, when the daily
// backup is due, and restic's arguments (repository over SFTP through our ssh command, retention).
//
// A hosting's repository lives on a backup server at /repo inside its account's chroot; the web
// server reaches it as sftp:<account>@<address>:/repo through `ssh` with the hosting's own key (never
// an agent, never the machine's ssh config), the backup server's host key pinned per hosting on first
// use (its known_hosts file next to the key).

/** The account of a hosting on its backup server (a Unix user, chrooted to its repository). */
export const backupAccount = (hostingName: string) => `bk-${hostingName}`;
export const ACCOUNT = /^bk-[a-z][a-z0-9]{0,28}$/;
/** The repository's path inside the account's chroot. */
export const REPOSITORY_PATH = '/repo';
/** The tag every backup Abri makes carries (restic forget only looks at those). */
export const BACKUP_TAG = 'abri';

const DAY = 86_400_000;

/** The last daily slot (`dailyAt` minutes after midnight, UTC) at or before `t`. */
export function lastDaily(t: Date, dailyAt: number): Date {
  const today = Math.floor(t.getTime() / DAY) * DAY + dailyAt * 60_000;
  return new Date(today <= t.getTime() ? today : today - DAY);
}

/** The next daily slot strictly after `t`. */
export const nextDaily = (t: Date, dailyAt: number) => new Date(lastDaily(t, dailyAt).getTime() + DAY);

/** Whether a backup is due: a slot passed since the last attempt (none yet: at once). */
export const dailyDue = (lastAttempt: Date | null, now: Date, dailyAt: number) => !lastAttempt || lastDaily(now, dailyAt).getTime() > lastAttempt.getTime();

/** Paths without spaces or quotes (restic splits its sftp.command on spaces). */
export const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SAFE_HOST = /^[0-9A-Za-z.:-]+$/;

export interface ResticTarget {
  account: string;
  address: string;
  port: number;
  keyFile: string;
  knownHosts: string;
  passwordFile: string;
  cacheDir: string;
}

/** restic's global arguments for a hosting's repository; throws on a value that cannot be passed safely. */
export function resticGlobals(t: ResticTarget, limitUploadKib = 0): string[] {
  if (!ACCOUNT.test(t.account)) throw new Error(`backup account ${JSON.stringify(t.account)} is not one Abri makes`);
  if (!SAFE_HOST.test(t.address)) throw new Error(`backup server address ${JSON.stringify(t.address)} is not an address`);
  for (const p of [t.keyFile, t.knownHosts, t.passwordFile, t.cacheDir]) if (!SAFE_PATH.test(p)) throw new Error(`path ${JSON.stringify(p)} cannot be given to restic`);
  const host = t.address.includes(':') ? `[${t.address}]` : t.address;
  const ssh = [
    'ssh', '-F', '/dev/null', '-i', t.keyFile, '-p', String(t.port),
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${t.knownHosts}`, '-o', 'StrictHostKeyChecking=accept-new',
    '-o', 'ServerAliveInterval=30', '-o', 'ServerAliveCountMax=4', '-l', t.account, t.address, '-s', 'sftp',
  ];
  return [
    '-r', `sftp:${t.account}@${host}:${REPOSITORY_PATH}`, '-o', `sftp.command=${ssh.join(' ')}`,
    '--password-file', t.passwordFile, '--cache-dir', t.cacheDir, '--cleanup-cache',
    ...(limitUploadKib > 0 ? ['--limit-upload', String(limitUploadKib)] : []),
  ];
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A time as restic's --time reads it (the machine's local time, as restic parses it). */
export const resticTime = (t: Date) => `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;

/**
 * `restic backup` of a home at `at` (the agent's clock): its files but its snapshots folder
 * (backups/), without crossing into other filesystems, tagged with the hosting.
 */
export function backupArgs(home: string, hostingName: string, hostingId: string, at: Date): string[] {
  if (!SAFE_PATH.test(home)) throw new Error(`home ${JSON.stringify(home)} cannot be given to restic`);
  return ['backup', '--json', '--quiet', '--one-file-system', '--time', resticTime(at), '--host', hostingName, '--tag', BACKUP_TAG, '--tag', `hosting-${hostingId}`, '--exclude', `${home}/backups`, home];
}

/** The tag of a part of a backup: db:<name>, mail:<address>; the files' snapshots have none of them. */
export const PART = /^(db|mail):([^\s,]{1,300})$/;
/** The tag of a snapshot taken just before an in-place restore (kept apart from the daily ones). */
export const SAFETY_TAG = 'safety';

/** The part a snapshot holds, from its tags (files: none of db:/mail:). */
export const partOfTags = (tags: readonly string[] | null | undefined) => (tags ?? []).find((t) => PART.test(t)) ?? 'files';

/** Where a database's dump is in its snapshot (restic --stdin). */
export const dumpPath = (database: string) => `/databases/${database}` + '.sql';

/**
 * `restic backup` of a part: stdin (a database's dump, `file` its name in the snapshot) or a folder
 * (a mailbox's copy), tagged with the part (and `safety` for the copy made before an in-place restore).
 */
export function partBackupArgs(hostingName: string, part: string, at: Date, what: { stdin: string } | { folder: string }, safety = false): string[] {
  if (!PART.test(part)) throw new Error(`part ${JSON.stringify(part)} is not one Abri backs up`);
  const source = 'stdin' in what ? ['--stdin', '--stdin-filename', what.stdin] : [what.folder];
  if ('folder' in what && !SAFE_PATH.test(what.folder)) throw new Error(`folder ${JSON.stringify(what.folder)} cannot be given to restic`);
  return ['backup', '--json', '--quiet', '--time', resticTime(at), '--host', hostingName, '--tag', BACKUP_TAG, '--tag', part, ...(safety ? ['--tag', SAFETY_TAG] : []), ...source];
}

/**
 * `restic forget … --prune` with the offer's retention (only Abri's backups), per part: grouped by
 * paths and tags, so that each database, each mailbox and the files keep their own dailies, and the
 * safety copies their own.
 */
export const forgetArgs = (keepDaily: number, keepWeekly: number) => [
  'forget', '--tag', BACKUP_TAG, '--group-by', 'host,paths,tags', '--keep-daily', String(Math.max(1, keepDaily)), ...(keepWeekly > 0 ? ['--keep-weekly', String(keepWeekly)] : []), '--prune',
];

/**
 * The whole hosting's files: the one folder of the home that is the hosting's (its sites and files).
 * In place, it is restored entry by entry (the folder itself is root's parent's: the hosting cannot
 * replace it); what the backup does not hold stays.
 */
export const WHOLE_HOSTING_PATH = 'var/www';

/** How many parts a repository's data is read in by its weekly checks (all of it every CHECK_PARTS weeks). */
export const CHECK_PARTS = 10;

/** `restic check` reading the subset `n/N` of the data; throws on anything else. */
export function checkArgs(subset: string): string[] {
  const m = /^(\d{1,3})\/(\d{1,3})$/.exec(subset);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error(`check subset ${JSON.stringify(subset)} is not n/N`);
  return ['check', `--read-data-subset=${subset}`];
}

/** The summary line of `restic backup --json`. */
export interface BackupSummary {
  snapshot_id?: string;
  data_added?: number;
  total_bytes_processed?: number;
}

/** The summary among restic's JSON lines, or null. */
export function backupSummary(stdout: string): BackupSummary | null {
  for (const line of stdout.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const msg = JSON.parse(line) as { message_type?: string } & BackupSummary;
      if (msg.message_type === 'summary') return msg;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e; // a line that is not restic's JSON (a warning): the others are looked at
    }
  }
  return null;
}

/** Backups (newest first) grouped per day (UTC), newest day first: the latest of each part that day. */
export function backupDays<T extends { time: string; part: string; safety: boolean }>(snapshots: readonly T[]): Array<{ day: string; parts: T[] }> {
  const days = new Map<string, Map<string, T>>();
  for (const s of snapshots) {
    const day = days.get(s.time.slice(0, 10)) ?? days.set(s.time.slice(0, 10), new Map()).get(s.time.slice(0, 10))!;
    const key = `${s.safety ? 'safety ' : ''}${s.part}`;
    if (!day.has(key)) day.set(key, s);
  }
  return [...days].map(([day, parts]) => ({ day, parts: [...parts.values()].sort((a, b) => partOrder(a.part) - partOrder(b.part) || a.part.localeCompare(b.part)) }));
}
const partOrder = (part: string) => (part === 'files' ? 0 : part.startsWith('db:') ? 1 : 2);

/** The name of the database a restore makes (new): <db>_restored_<yyyymmdd>, or null when longer than MariaDB allows. */
export function restoredDatabaseName(database: string, at: Date): string | null {
  const name = `${database}_restored_${at.toISOString().slice(0, 10).replaceAll('-', '')}`;
  return name.length <= 64 ? name : null;
}

/** The mail folder a restore fills (new): Restored-<yyyy-mm-dd>. */
export const restoredMailFolder = (at: Date) => `Restored-${at.toISOString().slice(0, 10)}`;
