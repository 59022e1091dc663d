// The test tools (no root, no service): scripts/test-async-hooks.mjs, loaded into every test process
// by `npm test`, gives node:test's runner a cheaper async hook. The runner must behave exactly as
// without it: a small test file run by `node --test` with and without it gives the same report —
// hooks and tests declared from asynchronous code nest where they were declared (also after more
// async resources than the hook keeps), and an error thrown by a test's timer fails that test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';

const hook = fileURLToPath(new URL('../scripts/test-async-hooks.mjs', import.meta.url)).replace('/test-results/js/', '/'); // compiled or not

const FIXTURE = `
import { describe, before, test } from 'node:test';
import assert from 'node:assert/strict';
const order = [];
describe('a suite declaring its hook after an await', async () => {
  await new Promise((r) => setTimeout(r, 5));
  before(() => order.push('before'));
  test('its test runs after its hook', () => assert.deepEqual(order, ['before']));
});
test('a test declaring a test after awaits', async () => {
  for (let i = 0; i < 1000; i++) await null;
  await new Promise((r) => setTimeout(r, 5));
  test('nested in it', () => {});
});
test('a test declaring a test after more promises than the hook keeps', async () => {
  for (let i = 0; i < 1_100_000; i++) await null;
  test('nested in it too', () => {});
});
test('a test whose timer throws', async () => {
  setTimeout(() => { throw new Error('thrown by its timer'); }, 1);
  await new Promise((r) => setTimeout(r, 200));
});
test('the next test passes', () => console.log('replaced: ' + (globalThis[Symbol.for('abri.test-runner-hook')] === true)));
`;

test('the runner reports the same with the cheaper async hook as without it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-runner-hook-'));
  try {
    const file = path.join(dir, 'fixture.test.mjs');
    await writeFile(file, FIXTURE);
    // a runner of its own (not a child of this one: no NODE_TEST_CONTEXT), on the fixture alone
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NODE_')));
    const report = async (...flags: string[]) => {
      const run = await new Promise<{ code: unknown; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [...flags, '--test', '--test-reporter=tap', file], { env, timeout: 60_000 }, (err, stdout, stderr) =>
          resolve({ code: err?.code, stdout, stderr }),
        );
      });
      assert.equal(run.code, 1, `the timer's error fails the run: ${run.stdout}${run.stderr}`);
      return run.stdout;
    };
    const same = (tap: string) =>
      tap
        .split('\n')
        .filter((l) => !/duration_ms|replaced: /.test(l))
        .join('\n');
    const plain = await report();
    const cheaper = await report('--import', hook);
    assert.match(plain, /^# replaced: false$/m);
    assert.match(cheaper, /^# replaced: true$/m, "the runner's hook was replaced");
    assert.match(plain, /^ {4}# Subtest: nested in it too$/m, plain);
    assert.match(plain, /not ok \d+ - a test whose timer throws[\s\S]*thrown by its timer/, plain);
    assert.match(plain, /^ok \d+ - the next test passes$/m, plain);
    assert.equal(same(cheaper), same(plain));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
