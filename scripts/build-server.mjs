// `npm run build`, the server's part: src/ → dist/ (the UI's part, Vite, writes dist/ui). esbuild,
// one file per module (scripts/compile.mjs): 1 s where `tsc -p tsconfig.build.json` took 25 s of a
// core to emit the same modules while checking types that `npm test` then checked again
// (scripts/check.sh); the types are checked by `npm run typecheck` and the static checks.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { compile, copyAssets, modules, root } from './compile.mjs';

const dist = path.join(root, 'dist');
// a module removed from src/ must not linger in dist/ (the UI's build keeps dist/ui)
mkdirSync(dist, { recursive: true });
for (const e of readdirSync(dist, { withFileTypes: true, encoding: 'utf8' }).filter((e) => e.name !== 'ui'))
  rmSync(path.join(dist, e.name), { recursive: true, force: true });
await compile(modules('src'), { outdir: dist, outbase: 'src' });
copyAssets('src', { outdir: dist, outbase: 'src' }); // e.g. the database admin's PHP wrapper
