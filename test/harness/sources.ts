// How a test starts another Node process on a module of this repository, the way it runs itself:
// from the TypeScript sources (`node --import tsx --test test/X.test.ts`) through tsx, from the
// compiled tree `npm test` runs (scripts/test-compile.mjs, .js next to .js) with plain node.
import { fileURLToPath } from 'node:url';

const compiled = import.meta.url.endsWith('.js');

/** The `node` arguments that run `file` (.ts through tsx, .js as it is). */
export const nodeArgs = (file: string): string[] => (file.endsWith('.ts') ? ['--import', 'tsx', file] : [file]);

/** The file of a module given from the repository root as a .ts path, in the tree this process runs. */
export const repoModule = (relative: string): string =>
  fileURLToPath(new URL(`../../${compiled ? relative.replace(/\.ts$/, '.js') : relative}`, import.meta.url));
