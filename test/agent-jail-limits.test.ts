// Integration (root, real bubblewrap, this machine's real cgroups): a hosting's jailed run cannot take
// the server down. A fork bomb is held at the run's pids cgroup (or, where no cgroup can be made, at
// the uid's RLIMIT_NPROC backstop) while the hosting's "site" — a PHP server of the same uid, outside
// the jail — keeps answering and can still start processes; a memory hog is killed by the run's
// memory cgroup; a CPU spinner and a too large file are stopped by their setrlimit limits; each run
// says which limit stopped it, and nothing of it is left.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-jail-limits.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { run, startProcess } from './harness/run.js';
import { until } from './helpers/node.js';
import { BWRAP, ensureJails, jailOf } from '../src/jail/apply-jail.js';
import { runInJail } from '../src/jail/apply-run.js';
import { detectCgroups, type CgroupMode } from '../src/jail/apply-cgroups.js';
import { defaultJailLimits, type JailLimits } from '../src/jail/render-limits.js';

const missing = [BWRAP, '/usr/bin/setpriv', '/usr/bin/prlimit', '/usr/bin/pgrep', '/usr/bin/php'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('bubblewrap, setpriv, prlimit and PHP (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-jail-limits.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const UID = 66201;
const NAME = 'jl66201';
const BOMB = 'bomb() { bomb | bomb & sleep 60; }; bomb'; // each process stays: the cap is reached and held

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  }).on('error', reject);
});
const runCgroupsLeft = async () => {
  const bases = (['/sys/fs/cgroup/abri-jail', '/sys/fs/cgroup/unified/abri-jail', '/sys/fs/cgroup/pids/abri-jail', '/sys/fs/cgroup/memory/abri-jail']).filter((b) => existsSync(b));
  return (await Promise.all(bases.map(async (b) => (await readdir(b)).filter((n) => n.startsWith('run-')).map((n) => `${b}/${n}`)))).flat();
};
const processesOfUid = async () => Number((await run('pgrep', ['-c', '-u', String(UID)], { allowFailure: true })).stdout.trim() || 0);

describe("a hosting's jailed run within its resource limits", { skip: missing.length > 0 || process.getuid?.() !== 0 }, () => {
  let root: string;
  let home: string;
  let jails: string;
  let seccompFile: string | null;
  let cgroups: CgroupMode;
  let site: ReturnType<typeof startProcess> | null = null;
  let siteUrl: string;
  const hosting = () => ({ hosting: NAME, uid: UID, gid: UID, home });
  const inJail = (command: string, limits: Partial<JailLimits>, opts: { timeoutMs?: number; cgroups?: CgroupMode } = {}) =>
    runInJail({ jail: jailOf(jails, hosting()), seccompFile, command, timeoutMs: opts.timeoutMs ?? 60_000, maxOutputBytes: 64 * 1024, limits: { ...defaultJailLimits, ...limits }, cgroups: opts.cgroups ?? cgroups });
  /** The site answers, and the PHP answering it can still start a process of the uid. */
  const siteAnswers = async () => {
    const r = await fetch(`${siteUrl}/index.php`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), `site up, uid ${UID}`);
  };

  before(async () => {
    root = await mkdtemp('/srv/abri-polish-limits-');
    await chmod(root, 0o755);
    home = path.join(root, 'www', NAME);
    for (const [rel, owner, mode] of [
      ['www', 0, 0o755],
      [`www/${NAME}`, 0, 0o710],
      [`www/${NAME}/var`, 0, 0o710],
      [`www/${NAME}/var/www`, UID, 0o755],
      [`www/${NAME}/tmp`, UID, 0o700],
    ] as const) {
      const p = path.join(root, rel);
      await mkdir(p);
      await chown(p, owner, UID);
      await chmod(p, mode);
    }
    jails = path.join(root, 'jail');
    seccompFile = await ensureJails(jails, [hosting()]);
    cgroups = await detectCgroups();
    // the hosting's site: PHP of the same uid, outside any jail, starting a process for each request
    await writeFile(path.join(home, 'var/www/index.php'), '<?php echo "site up, uid ", trim(shell_exec("id -u"));');
    const port = await freePort();
    siteUrl = `http://127.0.0.1:${port}`;
    site = startProcess('setpriv', ['--reuid', String(UID), '--regid', String(UID), '--clear-groups', '--', 'php', '-S', `127.0.0.1:${port}`, '-t', path.join(home, 'var/www')], { logFile: path.join(root, 'site.log') });
    await until('the site answers', async () => (await fetch(`${siteUrl}/index.php`).catch(() => null))?.ok);
  });

  after(async () => {
    site?.kill('SIGKILL');
    await until('no process of the hosting left', async () => (await processesOfUid()) === 0);
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('this machine gives runs a cgroup (v2 with pids and memory, or v1 pids and memory)', () => {
    console.log(`cgroups: ${JSON.stringify(cgroups)}`);
    if (process.env.CI === 'true') assert.notEqual(cgroups.kind, 'none', 'root can make cgroups on the test machines');
  });

  for (const mode of ['cgroup', 'rlimit'] as const) {
    test(`a fork bomb is held at its cap (${mode === 'cgroup' ? "the run's pids cgroup" : "the uid's RLIMIT_NPROC, no cgroup"}); the site keeps answering; nothing is left`, async (t) => {
      if (mode === 'cgroup' && cgroups.kind === 'none') return t.skip('no cgroup on this machine');
      const cap = 48;
      const limits = mode === 'cgroup' ? { processes: cap } : { uidProcesses: cap };
      const running = inJail(BOMB, limits, { timeoutMs: 15_000, ...(mode === 'rlimit' ? { cgroups: { kind: 'none' as const } } : {}) });
      await until('the bomb at its cap', async () => (await processesOfUid()) >= cap - 4);
      await siteAnswers();
      const r = await running;
      assert.equal(r.timedOut, true, 'it ran until its time limit');
      assert.equal(r.stoppedBy, mode === 'cgroup' ? 'processes' : 'time_limit', JSON.stringify(r));
      await until('only the site is left', async () => (await processesOfUid()) === 1);
      await siteAnswers();
      assert.deepEqual(await runCgroupsLeft(), [], 'the run\'s cgroups are removed');
    });
  }

  test('a memory hog is killed by its memory cgroup, and the run says so', async (t) => {
    if (cgroups.kind === 'none' || (cgroups.kind === 'v1' && !cgroups.memory)) return t.skip('no memory cgroup on this machine');
    // 64 MB of resident memory; its address space (4 × 64 MB) is not what stops it
    const r = await inJail('php -d memory_limit=-1 -r \'$a = []; for ($i = 0; $i < 200; $i++) $a[] = str_repeat("x", 1 << 20); echo "survived";\'', { memoryMb: 64 });
    assert.equal(r.stoppedBy, 'memory', JSON.stringify(r));
    assert.doesNotMatch(r.output, /survived/);
    await siteAnswers();
  });

  test('CPU time and file size: stopped by their setrlimit limits, which the run names', async () => {
    const cpu = await inJail('php -r "while (true);"', { cpuSeconds: 1 });
    assert.deepEqual([cpu.stoppedBy, cpu.exitCode, cpu.timedOut], ['cpu_time', 152, false], JSON.stringify(cpu));
    const big = await inJail('head -c 3000000 /dev/zero > big.bin', { fileSizeMb: 1 });
    assert.deepEqual([big.stoppedBy, big.exitCode], ['file_size', 153], JSON.stringify(big));
    const fine = await inJail('ulimit -n; echo done', { openFiles: 77 });
    assert.deepEqual([fine.stoppedBy, fine.exitCode, fine.output], [null, 0, '77\ndone\n']);
  });
});
