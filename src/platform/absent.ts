// "The file is not there" is the one failure that is a normal case (a first run, a file another
// process removed): everything else (permissions, a full disk, a bug) must reach a log or the caller.
//
//   const text = await readFile(file, 'utf8').catch(ifAbsent(''));
//   try { … } catch (e) { if (!isAbsent(e)) throw e; … }

/** Whether an error says that nothing exists at the path (ENOENT, or a path component is a file: ENOTDIR). */
export function isAbsent(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A `.catch()` handler: `fallback` when the file is absent, the error rethrown otherwise. */
export const ifAbsent =
  <T>(fallback: T) =>
  (e: unknown): T => {
    if (isAbsent(e)) return fallback;
    throw e;
  };
