// `npm test` runs the suite compiled once to JavaScript, not through `--import tsx`: tsx's loader
// costs every test process (and every agent or CLI it starts from the sources) about 2 s of CPU,
// 62 files and more, and the suite is CPU-bound on the 2-core reference machine. The transform is
// the one tsx applies (esbuild, per file, the same tsconfig), so the tests run the same code;
// `node --import tsx --test test/X.test.ts` keeps working on the sources.
//
// The tree mirrors the repository under test-results/js (src/, test/, ui/src/ as .js with source
// maps, so stack traces name the .ts lines): paths the code takes relative to its own file
// (../../bin/abri.js, dist/ui, package.json, test/golden) lead to the repository through links.
//   node scripts/test-compile.mjs    prints the directory it made
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { compile, copyAssets, modules, root } from './compile.mjs';

const out = path.join(root, 'test-results', 'js');
rmSync(out, { recursive: true, force: true });
await compile([...modules('src'), ...modules('test')], { outdir: out });
copyAssets('src', { outdir: out }); // what a module reads next to itself (test/golden is linked below)
// the tests read the UI's translation catalogs (plain .ts modules; the .tsx components are the UI build's)
await compile(modules('ui/src'), { outdir: out, tsconfig: 'ui/tsconfig.json' });

for (const link of ['bin', 'dist', 'node_modules', 'package.json', 'test/golden']) {
  const at = path.join(out, link);
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(path.relative(path.dirname(at), path.join(root, link)), at);
}
console.log(out);
