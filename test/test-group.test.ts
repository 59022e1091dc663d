// The test tools (no root, no service): a process of the whole suite (scripts/test-group.mjs) runs
// several test files; once they have ended it must end. A file that leaves something open (here an
// interval, as an open database's timer would) makes it print what keeps it alive and exit with 1,
// which fails the run at once instead of keeping CI waiting until its time limit. A file that
// closes what it opened ends its process as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';

const group = fileURLToPath(new URL('../scripts/test-group.mjs', import.meta.url)).replace('/test-results/js/', '/'); // compiled or not

const LEAKS = `
import { test } from 'node:test';
test('opens an interval and forgets it', () => { setInterval(() => {}, 1000); });
`;
const CLOSES = `
import { test } from 'node:test';
test('opens an interval and clears it', (t) => { const i = setInterval(() => {}, 1000); t.after(() => clearInterval(i)); });
`;

/** runs a group of these files in a runner of its own (not a child of this one: no NODE_TEST_CONTEXT) */
async function runGroup(dir: string, files: Record<string, string>) {
  const paths = [];
  for (const [name, text] of Object.entries(files)) {
    paths.push(path.join(dir, name));
    await writeFile(path.join(dir, name), text);
  }
  const entry = path.join(dir, 'group.mjs');
  await writeFile(entry, `import { runFiles } from ${JSON.stringify(group)};\nrunFiles(${JSON.stringify(paths)}, { lingerMs: 1000 });\n`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NODE_')));
  return new Promise<{ code: unknown; output: string }>((resolve) => {
    execFile(process.execPath, ['--test', '--test-reporter=tap', entry], { env, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (err.code ?? err.signal) : 0, output: stdout + stderr }),
    );
  });
}

test('a group process whose file left something open says so and fails, instead of hanging', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-test-group-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const leaking = await runGroup(dir, { 'closes.test.mjs': CLOSES, 'leaks.test.mjs': LEAKS });
  assert.equal(leaking.code, 1, leaking.output);
  assert.match(leaking.output, /still runs 1 s after its last file \(.*closes\.test\.mjs, .*leaks\.test\.mjs\), kept alive by: 1 Timeout\./, leaking.output);
  assert.match(leaking.output, /^ok \d+ - .*leaks\.test\.mjs$/m, 'its tests themselves passed');

  const closing = await runGroup(dir, { 'closes.test.mjs': CLOSES });
  assert.equal(closing.code, 0, closing.output);
  assert.doesNotMatch(closing.output, /still runs/);
});
