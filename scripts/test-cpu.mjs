// Loaded into every test file's process by scripts/test.sh (`node --import`): at exit, appends the CPU
// seconds the process used, and those of the children it waited for (Chromium, CLI processes, tools;
// not the daemons that detach, such as Apache), to $ABRI_TEST_CPU_FILE. scripts/test-durations.mjs
// prints them next to each file's duration: unlike durations, they do not grow when the machine is busy.
import { appendFileSync, readFileSync } from 'node:fs';

const out = process.env.ABRI_TEST_CPU_FILE;
if (out) {
  process.on('exit', () => {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const seconds = (...i) => i.reduce((s, k) => s + Number(fields[k]), 0) / 100; // USER_HZ
    appendFileSync(out, JSON.stringify({ file: process.argv[1], self: seconds(11, 12), children: seconds(13, 14) }) + '\n');
  });
}
