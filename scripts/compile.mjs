// TypeScript to JavaScript one file per module, with the transform tsx applies (esbuild, the same
// tsconfig), no bundling and no type checking (tsc does that: `npm run typecheck`, scripts/check.sh):
// each module keeps its path, so the paths a module takes relative to its own file stay right.
// Used by `npm run build` (src/ → dist/, scripts/build-server.mjs) and by `npm test` (scripts/test-compile.mjs).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

/** the .ts modules (not declarations) under `dir`, relative to the repository */
export const modules = (dir) =>
  readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));

/** copies the files under `dir` that are not TypeScript (e.g. src/databases/dbadmin/index.php) into `outdir`, under their path relative to `outbase` */
export function copyAssets(dir, { outdir, outbase = root }) {
  const files = readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.ts'));
  for (const e of files) {
    const to = path.join(outdir, path.relative(path.resolve(root, outbase), path.join(e.parentPath, e.name)));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(e.parentPath, e.name), to);
  }
}

/** compiles `entries` (paths relative to the repository) into `outdir`, under their path relative to `outbase` */
export const compile = (entries, { outdir, outbase = root, tsconfig = 'tsconfig.json' }) =>
  build({
    entryPoints: entries,
    outdir,
    outbase: path.resolve(root, outbase),
    absWorkingDir: root,
    tsconfig: path.join(root, tsconfig),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked', // stack traces name the .ts lines
    sourcesContent: false,
    logLevel: 'warning',
  });
