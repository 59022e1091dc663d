// What a process of scripts/test-groups.mjs runs: its test files one after the other, each as a
// suite named by the file (its tests and its top-level hooks inside it), and what each used of the
// process's CPU (scripts/test-cpu.mjs). A file that fails to load fails its suite, not the others.
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuSeconds, recordCpu } from './test-cpu.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** runs test/x.test.ts… from their compiled test-results/js/test/x.test.js (scripts/test-compile.mjs) */
export function runFiles(files) {
  for (const file of files) {
    describe(file, async () => {
      let start;
      before(() => (start = cpuSeconds()));
      await import(pathToFileURL(path.join(root, 'test-results/js', file.replace(/\.ts$/, '.js'))).href);
      after(() => recordCpu(file, start)); // after the file's own (its clean-up is its CPU too)
    });
  }
}
