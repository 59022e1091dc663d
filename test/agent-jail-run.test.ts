// Integration (root, real bubblewrap): one command of a hosting run in its jail by a root agent, the
// way scheduled tasks will be: as the hosting's uid, in its var/www, seeing no other process; its
// exit status and output kept (truncated past a size); killed with everything it started when it
// outlives its time limit, and marked so.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-jail-run.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { run } from './harness/run.js';
import { until } from './helpers/node.js';
import { BWRAP, ensureJails, jailOf } from '../src/jail/apply-jail.js';
import { runInJail } from '../src/jail/apply-run.js';
import { ManualClock } from '../src/platform/clock.js';

const missing = [BWRAP, '/usr/bin/setpriv', '/usr/bin/ps', '/usr/bin/pgrep'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('bubblewrap and setpriv (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-jail-run.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const UID = 62991;

describe("a hosting's command run in its jail by the agent", { skip: missing.length > 0 || process.getuid?.() !== 0 }, () => {
  let root: string;
  let home: string;
  let seccompFile: string | null;
  let jails: string;
  const hosting = () => ({ hosting: 'jr62991', uid: UID, gid: UID, home });
  const inJail = (command: string, timeoutMs = 20_000, maxOutputBytes = 64 * 1024) =>
    runInJail({ jail: jailOf(jails, hosting()), seccompFile, command, timeoutMs, maxOutputBytes });

  before(async () => {
    root = await mkdtemp('/srv/abri-jailrun-');
    await chmod(root, 0o755);
    home = path.join(root, 'www', 'jr62991');
    for (const [rel, owner, mode] of [
      ['www', 0, 0o755],
      ['www/jr62991', 0, 0o710],
      ['www/jr62991/var', 0, 0o710],
      ['www/jr62991/var/www', UID, 0o755],
      ['www/jr62991/tmp', UID, 0o700],
    ] as const) {
      const p = path.join(root, rel);
      await mkdir(p);
      await chown(p, owner, UID);
      await chmod(p, mode);
    }
    jails = path.join(root, 'jail');
    seccompFile = await ensureJails(jails, [hosting()]);
  });

  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  test("as the hosting's uid, in its var/www, alone in its pid namespace; exit status and output kept", async () => {
    const clock = new ManualClock(new Date('2026-12-01T08:00:00Z'));
    const r = await runInJail({
      jail: jailOf(jails, hosting()),
      seccompFile,
      command: 'id -u; pwd; echo from-cron > cron.txt; ps -eo comm=; php -r "echo PHP_VERSION;"; echo; exit 3',
      timeoutMs: 20_000,
      maxOutputBytes: 4096,
      clock,
    });
    assert.deepEqual([r.exitCode, r.timedOut, r.truncated, r.startedAt.toISOString()], [3, false, false, '2026-12-01T08:00:00.000Z']);
    const lines = r.output.split('\n');
    assert.deepEqual(lines.slice(0, 2), [String(UID), path.join(home, 'var/www')]);
    assert.deepEqual(lines.slice(2, -2).sort(), ['bash', 'bwrap', 'ps'], `no process but its own: ${r.output}`);
    assert.match(lines.at(-2)!, /^8\.\d+\.\d+$/);
    const file = await stat(path.join(home, 'var/www/cron.txt'));
    assert.deepEqual([file.uid, file.gid], [UID, UID]);
  });

  test('past its time limit it is killed with what it started, and marked so', async () => {
    const r = await inJail('sleep 120 & sleep 120; echo never', 300);
    assert.deepEqual([r.timedOut, r.exitCode, r.signal], [true, null, 'SIGKILL']);
    assert.doesNotMatch(r.output, /never/);
    await until('no process of the hosting left', async () => (await run('pgrep', ['-u', String(UID)], { allowFailure: true })).code === 1);
  });

  test('output past the limit is cut and marked truncated; nothing is written outside the home', async () => {
    const r = await inJail('head -c 100000 /dev/zero | tr "\\0" x; touch /etc/x /usr/x /x 2>/dev/null; echo', 20_000, 1000);
    assert.deepEqual([r.exitCode, r.truncated, r.output.length], [0, true, 1000]);
    assert.ok(!existsSync('/etc/x') && !existsSync('/x'));
  });
});
