// The machine's accounts as /etc/passwd, /etc/group and /etc/shadow list them, read directly: a
// lookup is a file read, not a program (`id` and `getent` were started at every apply). The system
// users Abri makes and needs are local ones (useradd writes them there); no other name service is asked.
import { readIfExists } from './if-exists.js';

/** The rows of an accounts file, each split on ':' (none when the file does not exist). */
export async function accountRows(file: string): Promise<string[][]> {
  return ((await readIfExists(file)) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':'));
}

/** name → id (the third field) of /etc/passwd or /etc/group, and id → name. */
export async function accountIds(file: string): Promise<{ byName: Map<string, number>; byId: Map<number, string> }> {
  const rows = await accountRows(file);
  return { byName: new Map(rows.map((f) => [f[0]!, Number(f[2])])), byId: new Map(rows.map((f) => [Number(f[2]), f[0]!])) };
}

/** A user of /etc/passwd: its uid and its primary group's gid; null when there is none. */
export async function systemUser(name: string): Promise<{ uid: number; gid: number } | null> {
  const row = (await accountRows('/etc/passwd')).find((f) => f[0] === name);
  return row ? { uid: Number(row[2]), gid: Number(row[3]) } : null;
}

/** A group of /etc/group: its gid; null when there is none. */
export async function systemGroup(name: string): Promise<number | null> {
  return (await accountIds('/etc/group')).byName.get(name) ?? null;
}
