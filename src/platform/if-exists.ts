// Reading what may not be there: "absent" (ENOENT) is a normal answer, every other failure is raised.
import type { Stats } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';

const absent = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/** The file's text, or null when it does not exist. */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if (absent(e)) return null;
    throw e;
  }
}

/** lstat of the path, or null when it does not exist. */
export async function lstatIfExists(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (e) {
    if (absent(e)) return null;
    throw e;
  }
}
