// Loaded into every test process by scripts/test.sh (`node --import`): at exit, appends the CPU
// seconds the process used, and those of the children it waited for (Chromium, CLI processes, tools;
// not the daemons that detach, such as Apache), to $ABRI_TEST_CPU_FILE. scripts/test-durations.mjs
// prints them next to each file's duration: unlike durations, they do not grow when the machine is busy.
// A process running several files (scripts/test-group.mjs) also records each file's share.
import { appendFileSync, readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.ABRI_TEST_CPU_FILE;

/** the CPU seconds this process has used so far, and its waited-for children */
export function cpuSeconds() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const seconds = (...i) => i.reduce((s, k) => s + Number(fields[k]), 0) / 100; // USER_HZ
  return { self: seconds(11, 12), children: seconds(13, 14) };
}

/** records what `file` used since `since` (a cpuSeconds()) */
export function recordCpu(file, since) {
  if (!out) return;
  const now = cpuSeconds();
  const round = (s) => Math.round(s * 100) / 100;
  appendFileSync(out, JSON.stringify({ file, self: round(now.self - since.self), children: round(now.children - since.children) }) + '\n');
}

// a worker thread (the manager's local agent runs in one) loads this too: /proc/self/stat is its whole
// process's, which its main thread records
if (out && isMainThread) {
  const start = { self: 0, children: 0 };
  process.on('exit', () => recordCpu(process.argv[1], start));
}
