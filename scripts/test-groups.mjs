// The whole suite's test files, in few processes: scripts/test.sh runs the entries this writes
// instead of one process per file. Each process loads the code under test and compiles PGlite's
// WebAssembly once for all its files, where a process per file paid that again each time: about
// 1.5-2 s of CPU per file, 45 % of a small API file's (ten of them: 42 s of CPU one process each,
// 24 s in one). Inside a process the files run one after the other, their tests in order, as each
// did alone (scripts/test-group.mjs); the processes run ABRI_TEST_CONCURRENCY at a time.
//
// Files are dealt to the processes slowest first, each to the one with the least work so far (by
// the durations of the last run, test-results/durations.json, else those of a reference run kept
// in scripts/test-durations.json), so that the processes end together; new files (no duration yet)
// count as the slowest.
//   node scripts/test-groups.mjs    prints the entries' paths, longest first
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'test-results', 'js', 'groups');
const concurrency = Number(process.env.ABRI_TEST_CONCURRENCY ?? 4);
/** processes: a few per slot, so that one running long is made up by the others */
const count = Number(process.env.ABRI_TEST_PROCESSES ?? concurrency * 4);

const read = (file) => {
  try {
    return JSON.parse(readFileSync(path.join(root, file), 'utf8'));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    return {};
  }
};
const known = { ...read('scripts/test-durations.json'), ...read('test-results/durations.json') };
const files = readdirSync(path.join(root, 'test'), { recursive: true })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f}`)
  .sort();
const slowest = Math.max(0, ...Object.values(known));
const time = (f) => known[f] ?? slowest;

const groups = Array.from({ length: Math.min(count, files.length) }, () => ({ seconds: 0, files: [] }));
for (const file of files.sort((a, b) => time(b) - time(a))) {
  const least = groups.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  least.files.push(file);
  least.seconds += time(file);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const entries = groups
  .sort((a, b) => b.seconds - a.seconds)
  .map((group, i) => {
    const entry = path.join(out, `${String(i + 1).padStart(2, '0')}.mjs`);
    writeFileSync(
      entry,
      `// ${group.files.length} test files, about ${Math.round(group.seconds)} s (scripts/test-groups.mjs)\n` +
        `import { runFiles } from '../../../scripts/test-group.mjs';\n` +
        `runFiles(${JSON.stringify(group.files, null, 2)});\n`,
    );
    return path.relative(root, entry);
  });
console.log(entries.join('\n'));
