// Test reporter of `npm test`: at the end, how long each test file took (slowest first) and which
// failed; saves those that passed to test-results/durations.json, from which scripts/test.sh starts
// the slowest files first next time (a long file started last would make the whole run wait for it).
// With the CPU seconds scripts/test-cpu.mjs recorded for each file's process (and the children it
// waited for), the figure that says what a file costs whatever else the machine was doing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

/** test/x.test.ts, also for its compiled test-results/js/test/x.test.js (scripts/test-compile.mjs) */
const source = (file) => path.relative(process.cwd(), file).replace(/^test-results\/js\/(.*)\.js$/, '$1.ts');

/** CPU seconds the whole machine has spent busy since boot (every process: services and daemons too), or NaN off Linux */
function machineBusy() {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    return NaN;
  }
}

export default async function* durations(events) {
  const files = [];
  const started = Date.now();
  const busyAtStart = machineBusy();
  for await (const event of events) {
    // a file's own completion: its subprocess, from start to exit (setup included)
    if (event.type === 'test:complete' && event.data.nesting === 0 && event.data.file && event.data.name === event.data.file) {
      files.push({ file: source(event.data.file), seconds: event.data.details.duration_ms / 1000, passed: event.data.details.passed });
    }
  }
  if (!files.length) return;
  const cpu = new Map();
  try {
    for (const line of readFileSync(process.env.ABRI_TEST_CPU_FILE ?? '', 'utf8').split('\n').filter(Boolean)) {
      const c = JSON.parse(line);
      cpu.set(source(c.file), c);
    }
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  const cpuOf = (f) => (cpu.has(f.file) ? cpu.get(f.file).self + cpu.get(f.file).children : NaN);
  files.sort((a, b) => b.seconds - a.seconds);
  const wall = (Date.now() - started) / 1000;
  const sum = files.reduce((s, f) => s + f.seconds, 0);
  const width = Math.max(...files.map((f) => f.file.length));
  const cpuSum = files.reduce((s, f) => s + (cpuOf(f) || 0), 0);
  // what every process of the machine used meanwhile: the test processes, and the services they
  // started (PostgreSQL, Apache, Dovecot…) that the per-file figures do not count
  const busy = machineBusy() - busyAtStart;
  const machine = Number.isNaN(busy) ? '' : `; the machine: ${busy.toFixed(0)} s of CPU, ${((100 * busy) / (wall * availableParallelism())).toFixed(0)} % of its ${availableParallelism()} cores`;
  let out = `\nTest files by duration (${files.length} files, ${wall.toFixed(0)} s wall clock, ${sum.toFixed(0)} s summed, ${cpuSum.toFixed(0)} s of CPU${machine}):\n`;
  out += `  ${'duration'.padStart(9)}  ${'CPU'.padStart(7)}  file\n`;
  for (const f of files) {
    const c = cpuOf(f);
    out += `  ${f.seconds.toFixed(1).padStart(7)} s  ${Number.isNaN(c) ? '      -' : `${c.toFixed(1).padStart(5)} s`}  ${f.passed ? f.file : `${f.file.padEnd(width)}  FAILED`}\n`;
  }
  yield out;
  mkdirSync('test-results', { recursive: true });
  // merged into what earlier runs saved, and only files that passed: a partial run keeps the others'
  // durations, and a broken one (every file failing at once) does not replace them with its own
  let saved = {};
  try {
    saved = JSON.parse(readFileSync('test-results/durations.json', 'utf8'));
  } catch (e) {
    if (e.code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
  }
  const passed = files.filter((f) => f.passed).map((f) => [f.file, Math.round(f.seconds * 10) / 10]);
  writeFileSync('test-results/durations.json', JSON.stringify({ ...saved, ...Object.fromEntries(passed) }, null, 2) + '\n');
}
