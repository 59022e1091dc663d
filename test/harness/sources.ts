// How a test starts another Node process on a module of this repository, the way it runs itself:
// from the TypeScript sources (`node --import tsx --test test/X.test.ts`) through tsx, from the
// compiled tree `npm test` runs (scripts/test-compile.mjs, .js next to .js) with plain node.
import { fileURLToPath } from 'node:url';

const compiled = import.meta.url.endsWith('.js');

/**
 * The V8 flags this process runs with that its child Node processes should share: `--liftoff-only`
 * (scripts/test.sh), so that a child loading PGlite (`abri serve`, a local command) does not
 * recompile its WebAssembly on background threads either.
 */
const v8Flags: string[] = process.execArgv.filter((a) => a === '--liftoff-only');

/** The `node` arguments that run `file` (.ts through tsx, .js as it is), with this process's `v8Flags`. */
export const nodeArgs = (file: string): string[] => [...v8Flags, ...(file.endsWith('.ts') ? ['--import', 'tsx', file] : [file])];

/** The file of a module given from the repository root as a .ts path, in the tree this process runs. */
export const repoModule = (relative: string): string =>
  fileURLToPath(new URL(`../../${compiled ? relative.replace(/\.ts$/, '.js') : relative}`, import.meta.url));
