// Test reporter of `npm test`: at the end, how long each test file took (slowest first) and which
// failed; saves those that passed to test-results/durations.json, from which scripts/test-groups.mjs
// deals the files to processes next time (a long file started last would make the run wait for it).
// With the CPU seconds scripts/test-cpu.mjs recorded for each process (and the children it waited
// for), the figure that says what a process costs whatever else the machine was doing. A file that
// shares its process with others (scripts/test-groups.mjs) runs as a suite: its duration and CPU are the suite's.
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

/** a process of scripts/test-groups.mjs, running several files */
const isGroup = (file) => /(^|\/)test-results\/js\/groups\//.test(file);
/** the suite that runs one of those files (scripts/test-group.mjs names it by the file) */
const isGroupedFile = (file) => source(file) === 'scripts/test-group.mjs';

export default async function* durations(events) {
  const processes = [];
  const grouped = []; // the files of processes running several: each is a suite named by the file
  const started = Date.now();
  const busyAtStart = machineBusy();
  for await (const event of events) {
    if (event.type !== 'test:complete' || event.data.nesting !== 0 || !event.data.file) continue;
    const seconds = event.data.details.duration_ms / 1000;
    const passed = event.data.details.passed;
    // a process's own completion: from its start to its exit (setup included)
    if (event.data.name === event.data.file) processes.push({ file: source(event.data.file), seconds, passed });
    else if (isGroupedFile(event.data.file)) grouped.push({ file: event.data.name, seconds, passed });
  }
  if (!processes.length) return;
  const cpu = new Map();
  try {
    for (const line of readFileSync(process.env.ABRI_TEST_CPU_FILE ?? '', 'utf8')
      .split('\n')
      .filter(Boolean)) {
      const c = JSON.parse(line);
      cpu.set(source(c.file), c);
    }
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  const cpuOf = (f) => (cpu.has(f.file) ? cpu.get(f.file).self + cpu.get(f.file).children : NaN);
  const groups = processes.filter((p) => isGroup(p.file));
  const files = [...processes.filter((p) => !isGroup(p.file)), ...grouped];
  files.sort((a, b) => b.seconds - a.seconds);
  const wall = (Date.now() - started) / 1000;
  const sum = files.reduce((s, f) => s + f.seconds, 0);
  const width = Math.max(...files.map((f) => f.file.length));
  const cpuSum = processes.reduce((s, f) => s + (cpuOf(f) || 0), 0); // a group's files are in its figure
  // what every process of the machine used meanwhile: the test processes, and the services they
  // started (PostgreSQL, Apache, Dovecot…) that the per-process figures do not count
  const busy = machineBusy() - busyAtStart;
  const machine = Number.isNaN(busy)
    ? ''
    : `; the machine: ${busy.toFixed(0)} s of CPU, ${((100 * busy) / (wall * availableParallelism())).toFixed(0)} % of its ${availableParallelism()} cores`;
  const row = (seconds, c, name, passed) =>
    `  ${seconds.toFixed(1).padStart(7)} s  ${Number.isNaN(c) ? '      -' : `${c.toFixed(1).padStart(5)} s`}  ${passed ? name : `${name.padEnd(width)}  FAILED`}\n`;
  let out = `\nTest files by duration (${files.length} files in ${processes.length} processes, ${wall.toFixed(0)} s wall clock, ${sum.toFixed(0)} s summed, ${cpuSum.toFixed(0)} s of CPU${machine}):\n`;
  out += `  ${'duration'.padStart(9)}  ${'CPU'.padStart(7)}  file\n`;
  for (const f of files) out += row(f.seconds, cpuOf(f), f.file, f.passed);
  if (groups.length) {
    out += `\nProcesses that ran several files one after the other, and their CPU:\n`;
    for (const g of groups.sort((a, b) => b.seconds - a.seconds)) out += row(g.seconds, cpuOf(g), g.file, g.passed);
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
