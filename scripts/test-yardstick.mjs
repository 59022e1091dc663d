// A yardstick for the suite's figures: the same CPU work (SHA-256 of 512 MiB, then a loop of 2·10^8
// steps), timed before and after the suite. Durations of the same code varied by 15-60 % from one run
// to another on the 2-core reference machine, whose speed changes over time; this says how fast the
// machine was, so that two runs' figures can be compared. About 1.0 s of CPU on that machine when idle.
//   node scripts/test-yardstick.mjs before   saves the time in test-results/yardstick.json
//   node scripts/test-yardstick.mjs after    prints both
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const file = 'test-results/yardstick.json';
const start = process.cpuUsage();
const chunk = Buffer.alloc(1 << 20, 7);
const hash = createHash('sha256');
for (let i = 0; i < 512; i++) hash.update(chunk);
hash.digest();
let x = 0;
for (let i = 0; i < 2e8; i++) x = (x + i * 7) % 1000003;
if (x !== 262097) throw new Error('the yardstick computed something else');
const used = process.cpuUsage(start);
const seconds = (used.user + used.system) / 1e6;
if (process.argv[2] === 'before') writeFileSync(file, JSON.stringify({ before: seconds }));
else {
  const { before } = JSON.parse(readFileSync(file, 'utf8'));
  console.log(
    `Machine yardstick (the same CPU work; about 1.0 s on the idle 2-core reference machine): ${before.toFixed(2)} s before the suite, ${seconds.toFixed(2)} s after`,
  );
}
