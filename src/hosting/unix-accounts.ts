// Many Unix accounts at once. `groupadd` + `useradd` rewrite and sync four files per account (about
// 40–80 ms each: 1,000 hostings take over a minute); this writes every new user and group in one pass,
// with the same locks the shadow tools take (<file>.lock made by link(2)), the same backups (<file>-),
// and an atomic rename of each file, groups first so no user ever names a missing group.
import { constants } from 'node:fs';
import { processAlive } from '../platform/pid-file.js';
import { chmod, chown, copyFile, link, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readIfExists } from '../platform/if-exists.js';

/** unlink that finds the file already gone fine (ENOENT); every other failure is raised. */
async function unlinkIfExists(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

export interface NewAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
  comment: string;
  shell: string;
}

const FILES = ['/etc/group', '/etc/gshadow', '/etc/passwd', '/etc/shadow'] as const;

let lockers = 0;

/**
 * Takes <file>.lock the way the shadow tools do (a file holding our pid, linked into place); waits up
 * to `ms`. Answers the release. The file linked is this call's own: two lockers of one process wait
 * for each other (the lock names a live process) instead of one removing the other's file.
 */
export async function lockAccountsFile(file: string, ms = 10_000): Promise<() => Promise<void>> {
  const mine = `${file}.${process.pid}.${++lockers}`;
  const lockFile = `${file}.lock`;
  await writeFile(mine, String(process.pid));
  const until = Date.now() + ms;
  try {
    for (;;) {
      try {
        await link(mine, lockFile);
        return () => unlinkIfExists(lockFile);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = Number(((await readIfExists(lockFile)) ?? '').trim());
      if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
        await unlinkIfExists(lockFile); // stale: its owner died
        continue;
      }
      if (Date.now() > until) throw new Error(`${lockFile} is held by process ${holder || '?'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await unlinkIfExists(mine);
  }
}

/** Replaces `file` with `content`: same owner and mode, previous version kept as <file>-, synced, renamed. */
async function replace(file: string, content: string): Promise<void> {
  const st = await stat(file);
  await copyFile(file, `${file}-`);
  const tmp = `${file}+`;
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, st.mode & 0o7777);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chown(tmp, st.uid, st.gid);
  await chmod(tmp, st.mode & 0o7777);
  await rename(tmp, file);
}

const withLine = (text: string, lines: string[]) => (lines.length ? `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${lines.join('\n')}\n` : text);

/**
 * Adds the accounts that do not exist yet (user and its own group, gid = the given gid, locked
 * password). Returns an error per account name that could not be added (a name or id already taken).
 */
export async function addAccounts(accounts: NewAccount[], opts: { lockWaitMs?: number } = {}): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  if (!accounts.length) return errors;
  const unlocks: Array<() => Promise<void>> = [];
  try {
    for (const f of FILES) unlocks.push(await lockAccountsFile(f, opts.lockWaitMs));
    const [group, gshadow, passwd, shadow] = await Promise.all(FILES.map((f) => readFile(f, 'utf8')));
    const fields = (text: string) => text.split('\n').filter(Boolean).map((l) => l.split(':'));
    const users = new Map(fields(passwd).map((f) => [f[0], Number(f[2])]));
    const uids = new Set(users.values());
    const groups = new Map(fields(group).map((f) => [f[0], Number(f[2])]));
    const gids = new Set(groups.values());
    const shadowNames = new Set(fields(shadow).map((f) => f[0]));
    const gshadowNames = new Set(fields(gshadow).map((f) => f[0]));
    const add = { group: [] as string[], gshadow: [] as string[], passwd: [] as string[], shadow: [] as string[] };
    const days = Math.floor(Date.now() / 86_400_000);
    for (const a of accounts) {
      if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(a.name) || [a.comment, a.home, a.shell].some((v) => /[:\n]/.test(v))) {
        errors.set(a.name, `invalid account ${JSON.stringify(a.name)}`);
        continue;
      }
      if (users.has(a.name) && users.get(a.name) !== a.uid) {
        errors.set(a.name, `user ${a.name} exists with uid ${users.get(a.name)}, not ${a.uid}`);
        continue;
      }
      if (groups.has(a.name) && groups.get(a.name) !== a.gid) {
        errors.set(a.name, `group ${a.name} exists with gid ${groups.get(a.name)}, not ${a.gid}`);
        continue;
      }
      if (!users.has(a.name) && uids.has(a.uid)) {
        errors.set(a.name, `uid ${a.uid} belongs to another user`);
        continue;
      }
      if (!groups.has(a.name) && gids.has(a.gid)) {
        errors.set(a.name, `gid ${a.gid} belongs to another group`);
        continue;
      }
      if (!groups.has(a.name)) {
        add.group.push(`${a.name}:x:${a.gid}:`);
        groups.set(a.name, a.gid);
        gids.add(a.gid);
      }
      if (!gshadowNames.has(a.name)) add.gshadow.push(`${a.name}:!::`);
      if (!users.has(a.name)) {
        add.passwd.push(`${a.name}:x:${a.uid}:${a.gid}:${a.comment}:${a.home}:${a.shell}`);
        users.set(a.name, a.uid);
        uids.add(a.uid);
      }
      if (!shadowNames.has(a.name)) add.shadow.push(`${a.name}:!:${days}:0:99999:7:::`);
    }
    // groups before users: a user line never names a group that is not there yet
    if (add.group.length) await replace('/etc/group', withLine(group, add.group));
    if (add.gshadow.length) await replace('/etc/gshadow', withLine(gshadow, add.gshadow));
    if (add.passwd.length) await replace('/etc/passwd', withLine(passwd, add.passwd));
    if (add.shadow.length) await replace('/etc/shadow', withLine(shadow, add.shadow));
  } catch (e) {
    for (const a of accounts) if (!errors.has(a.name)) errors.set(a.name, (e as Error).message);
  } finally {
    for (const u of unlocks.reverse()) await u();
  }
  return errors;
}
