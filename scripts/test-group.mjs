// What a process of scripts/test-groups.mjs runs: its test files one after the other, each as a
// suite named by the file (its tests and its top-level hooks inside it), and what each used of the
// process's CPU (scripts/test-cpu.mjs). A file that fails to load fails its suite, not the others.
//
// Once its files have ended, the process must end: something a test left open (a server, a child, a
// database's timer) would keep it alive, and the runner would wait for it until CI's time limit. If
// it still runs a minute after its last file, it prints what keeps it alive and exits with 1, which
// fails the run with that message instead of a hang.
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuSeconds, recordCpu } from './test-cpu.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * runs test/x.test.ts… from their compiled test-results/js/test/x.test.js (scripts/test-compile.mjs);
 * an absolute path is imported as it is
 */
export function runFiles(files, { lingerMs = 60_000 } = {}) {
  // the pipes of its own output (made on first use, then always open) are not something a test left
  process.stdout.write('');
  process.stderr.write('');
  const own = count(process.getActiveResourcesInfo());
  for (const file of files) {
    describe(file, async () => {
      let start;
      before(() => (start = cpuSeconds()));
      await import(pathToFileURL(path.isAbsolute(file) ? file : path.join(root, 'test-results/js', file.replace(/\.ts$/, '.js'))).href);
      after(() => recordCpu(file, start)); // after the file's own (its clean-up is its CPU too)
    });
  }
  after(() => {
    // unref'd: it does not keep the process alive itself, and is not among what it lists
    setTimeout(() => {
      const open = count(process.getActiveResourcesInfo());
      const list = Object.entries(open)
        .filter(([r, n]) => n > (own[r] ?? 0))
        .map(([r, n]) => `${n - (own[r] ?? 0)} ${r}`)
        .join(', ');
      process.stderr.write(
        `\nThis test process still runs ${lingerMs / 1000} s after its last file (${files.join(', ')}), kept alive by: ${list}. A test left it open: close it in after() or finally.\n`,
      );
      process.exit(1);
    }, lingerMs).unref();
  });
}

function count(resources) {
  const n = {};
  for (const r of resources) n[r] = (n[r] ?? 0) + 1;
  return n;
}
