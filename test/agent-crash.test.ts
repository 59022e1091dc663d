// Integration: the real `abri agent` CLI as a separate process (as on a remote server), driven by a
// manager without a local agent. An agent killed with SIGKILL in the middle of an apply (paused at a
// chosen point, ABRI_TEST_PAUSE_AT, so that the kill lands there on any machine) never leaves a
// half-written or invalid configuration live (every site served before still serves, the configs on
// disk pass the real validators); restarted, it converges. Two agents for the same machine never
// apply at once: the second one exits with a clear message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, fpmMasterDirs, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { httpGet } from './harness/http.js';
import { putAs } from './harness/isolation-checks.js';
import { processLines, run } from './harness/run.js';
import { nodeArgs } from './harness/sources.js';
import { applyFileSet } from '../src/platform/files.js';
import type { PausePoint } from '../src/node/pause.js';

const missing = requireNodeServices('test/agent-crash.test.ts', test);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Hosting { id: string; name: string; uid: number; home: string }
interface Site { id: string; domain: string; hosting: Hosting }

/** A running `abri agent` process and everything it printed. */
interface AgentProcess { child: ChildProcess; output: string[]; exited: Promise<number | null> }

describe('the real agent process: SIGKILL mid-apply, restart, one agent per machine', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  let dataDir = '';
  let pauseDir = '';
  let token = '';
  const agents = new Set<AgentProcess>();
  const sites: Site[] = [];
  const edge = (host: string, p = '/', timeoutMs?: number) => httpGet(node.edgePort, host, p, timeoutMs);
  const expected = (s: Site) => `${s.domain} uid=${s.hosting.uid}`;
  const dirs = () => [...['etc/apache2/abri', 'etc/haproxy/abri'].map((d) => path.join(node.root, d)), ...fpmMasterDirs(node.root)];
  const journals = () => dirs().filter((d) => existsSync(path.join(d, '.abri-journal')));

  function startAgent(extra: Record<string, string> = {}): AgentProcess {
    const env = { ...process.env, ...node.settings, ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: dataDir, ABRI_LOG_LEVEL: 'info', ...extra };
    // its own process group, so that after() can stop whatever it left (the services it started
    // detach from it and stay up, as they would on a real server)
    const child = spawn(process.execPath, [...nodeArgs('bin/abri.js'), 'agent', '--manager', m.url, '--token', token, '--apply'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (d) => output.push(String(d)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const a = { child, output, exited };
    agents.add(a);
    void exited.then(() => agents.delete(a));
    return a;
  }

  async function kill(a: AgentProcess) {
    a.child.kill('SIGKILL');
    await a.exited;
  }

  async function newHosting(): Promise<Hosting> {
    const h = (await seedHosting(m, { customer: `Crash ${Math.random().toString(36).slice(2, 7)}`, offer: { maxSites: 20 } })).hosting;
    assert.ok(h.uid, JSON.stringify(h));
    return h;
  }

  /** Each hosting belongs to its own customer, so its sites live in a zone of their own. */
  const zoneOf = (h: Hosting) => `crash-${h.name}.org`;

  async function addSite(h: Hosting, domain: string): Promise<Site> {
    const r = await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const s = { id: r.body.id as string, domain, hosting: h };
    sites.push(s);
    return s;
  }

  const isLive = async (s: Site) => (await m.api('GET', `/api/v1/sites/${s.id}`)).body.provisioning?.status === 'live';

  /** Every given site live in the API and answering its own index.php through the edge. */
  async function converged(list: Site[], what: string) {
    await until(`${what}: every site live`, async () => {
      for (const s of list) if (!(await isLive(s))) return false;
      return true;
    });
    for (const s of list) {
      const index = path.join(s.hosting.home, 'var/www', s.domain, 'index.php');
      if (!existsSync(index)) await putAs(s.hosting, index, `<?php echo ${JSON.stringify(s.domain)}, " uid=", posix_getuid();`, 0o644);
    }
    await until(`${what}: every site served`, async () => {
      for (const s of list) if ((await edge(s.domain)).body !== expected(s)) return false;
      return true;
    });
  }

  /** What must hold right after a crash: valid configs on disk, every site that was served still is. */
  async function intact(served: Site[], when: string) {
    const apache = await run('apache2', ['-t', '-f', path.join(node.root, 'etc/apache2/abri/apache2.conf')], { allowFailure: true });
    assert.equal(apache.code, 0, `${when}: apache2 -t: ${apache.stderr}`);
    const haproxy = await run('haproxy', ['-c', '-q', '-f', path.join(node.root, 'etc/haproxy/abri/haproxy.cfg')], { allowFailure: true });
    assert.equal(haproxy.code, 0, `${when}: haproxy -c: ${haproxy.stderr}`);
    assert.ok(fpmMasterDirs(node.root).length > 0, `${when}: a PHP-FPM master's configuration`);
    for (const dir of fpmMasterDirs(node.root)) {
      const fpm = await run('php-fpm8.2', ['-t', '-y', path.join(dir, 'php-fpm.conf')], { allowFailure: true });
      assert.equal(fpm.code, 0, `${when}: php-fpm -t (${dir}): ${fpm.stderr}`);
    }
    for (const s of served) {
      // a site that answers late under a loaded machine is still served; one that keeps silent for a
      // minute is not, and the services' processes say what they were doing
      const r = await edge(s.domain, '/', 60_000).catch(async (e: Error) => {
        const services = await processLines({ matching: /php-fpm|apache2|haproxy|abri/ });
        throw new Error(`${when}: ${s.domain}: ${e.message}\n${services.join('\n')}`);
      });
      assert.equal(r.body, expected(s), `${when}: ${s.domain} no longer served (${r.status})`);
    }
  }

  before(async () => {
    node = await createTestNode(194_200);
    dataDir = await mkdtemp('/tmp/abri-agent-data-');
    pauseDir = await mkdtemp('/tmp/abri-agent-pause-');
    m = await startTestManager({ settings: node.settings }); // ABRI_LOCAL_AGENT=0: the agent is the CLI below
    const server = await m.api('POST', '/api/v1/servers', { name: 'web1', roles: ['edge', 'web'], addresses: ['127.0.0.1'] });
    assert.equal(server.status, 201, JSON.stringify(server.body));
    token = server.body.agentToken;
  });

  after(async () => {
    for (const a of agents) {
      try {
        process.kill(-a.child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await m?.close();
    await node?.cleanup();
    for (const d of [dataDir, pauseDir]) if (d) await rm(d, { recursive: true, force: true });
  });

  test('the agent process converges 20 sites: all live and served through the edge', async () => {
    const a = startAgent();
    for (let i = 0; i < 4; i++) {
      const h = await newHosting();
      for (let j = 0; j < 5; j++) await addSite(h, `s${i}-${j}.${zoneOf(h)}`);
    }
    try {
      await converged(sites, 'first convergence');
    } catch (e) {
      throw new Error(`${(e as Error).message}\nagent output:\n${a.output.join('').slice(-4000)}`);
    }
    const servers = (await m.api('GET', '/api/v1/servers')).body.items;
    assert.equal(servers[0].mode, 'apply');
    assert.equal(servers[0].lastError, null);
  });

  test('SIGKILL at each pause point of an apply: nothing half-written goes live; after a restart it converges', async (t) => {
    // the agent stops at a chosen point of its apply (ABRI_TEST_PAUSE_AT) and says so; it is killed
    // there: each point is hit for certain, whatever the machine's speed
    const points: Array<{ point: PausePoint; journal: string | null }> = [
      { point: 'accounts-written', journal: null },
      { point: 'fpm-written', journal: 'fpm' },
      { point: 'fpm-validated', journal: 'fpm' },
      { point: 'apache-written', journal: 'etc/apache2/abri' },
      { point: 'apache-validated', journal: 'etc/apache2/abri' },
      { point: 'apache-reloaded', journal: 'etc/apache2/abri' },
    ];
    let agent = [...agents][0];
    assert.ok(agent, 'the agent of the previous test runs');
    for (const [round, { point, journal }] of points.entries()) {
      const served = [...sites];
      await kill(agent); // idle: it converged
      // every change of the round is made while no agent runs: the next agent's first apply carries
      // them all (a new hosting: account, pool, vhosts; new aliases on live sites)
      const h = await newHosting();
      for (let j = 0; j < 3; j++) await addSite(h, `r${round}-${j}.${zoneOf(h)}`);
      for (const s of served.slice(round * 2, round * 2 + 2)) {
        const r = await m.api('PATCH', `/api/v1/sites/${s.id}`, { aliases: [`alias-${round}.${s.domain}`] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const paused = startAgent({ ABRI_TEST_PAUSE_AT: point, ABRI_TEST_PAUSE_DIR: pauseDir });
      try {
        await until(`the agent pauses at ${point}`, async () => existsSync(path.join(pauseDir, `${point}.paused`)));
      } catch (e) {
        throw new Error(`${(e as Error).message}\nagent output:\n${paused.output.join('').slice(-4000)}`);
      }
      if (journal) {
        // Apache writes and validates its files while PHP-FPM checks and reloads: the other
        // service's journal may be there too (an apply of both in progress)
        const web = [...fpmMasterDirs(node.root), path.join(node.root, 'etc/apache2/abri')];
        const kept = journals();
        const expected = journal === 'fpm' ? fpmMasterDirs(node.root) : [path.join(node.root, journal)];
        assert.ok(kept.some((j) => expected.includes(j)), `at ${point}, an apply is in progress (journal kept): ${kept.join(', ')}`);
        assert.deepEqual(kept.filter((j) => !web.includes(j)), [], `at ${point}, only the web services' journals`);
      }
      await kill(paused);
      await rm(path.join(pauseDir, `${point}.paused`));
      t.diagnostic(`round ${round}: killed at ${point}`);
      await intact(served, `after SIGKILL at ${point}`);
      agent = startAgent();
      try {
        await converged(sites, `restart after SIGKILL at ${point}`);
      } catch (e) {
        throw new Error(`${(e as Error).message}\nagent output:\n${agent.output.join('').slice(-4000)}`);
      }
      for (const s of served.slice(round * 2, round * 2 + 2)) {
        assert.equal((await edge(`alias-${round}.${s.domain}`)).body, expected(s), `the alias added in round ${round} is served`);
      }
      assert.deepEqual(journals(), [], 'no journal left after a finished apply');
    }
    const servers = (await m.api('GET', '/api/v1/servers')).body.items;
    assert.equal(servers[0].lastError, null);
    assert.equal(sites.length, 20 + points.length * 3);
  });

  test('a second agent for the same machine exits with a clear message; the first keeps serving', async () => {
    const first = [...agents][0];
    const second = startAgent();
    const code = await Promise.race([second.exited, sleep(30_000).then(() => 'still running')]);
    assert.equal(code, 1, `the second agent ${code === 'still running' ? 'kept running' : `exited with ${code}`}: ${second.output.join('')}`);
    assert.match(second.output.join(''), /another Abri agent \(pid \d+\) is already running for the node root/);
    assert.equal(first.child.exitCode, null, 'the first agent still runs');
    await converged(sites, 'with a second agent refused');
  });

  test('two agents started at the same time: one runs, the other exits; the node converges', async () => {
    await kill([...agents][0]);
    const h = await newHosting();
    const added = [await addSite(h, `twin-0.${zoneOf(h)}`), await addSite(h, `twin-1.${zoneOf(h)}`)];
    const pair = [startAgent(), startAgent()];
    const loser = await Promise.race([...pair.map((a) => a.exited.then(() => a)), sleep(30_000).then(() => null)]);
    assert.ok(loser, `neither agent exited: ${pair.map((a) => a.output.join('')).join('\n---\n')}`);
    assert.match(loser.output.join(''), /another Abri agent/);
    const winner = pair.find((a) => a !== loser)!;
    await converged(sites, 'twin agents');
    assert.equal(winner.child.exitCode, null, 'the other agent keeps running');
    for (const s of added) assert.equal((await edge(s.domain)).body, expected(s));
    await intact(sites, 'after twin agents');
  });
});

describe('an agent that dies after writing a file set but before the service loaded it', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp('/tmp/abri-fileset-');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the next apply puts the previous files back, sees the change again and reloads', async () => {
    const reloads: string[] = [];
    const v1 = [{ path: 'sites/a.conf', content: 'A1\n', mode: 0o644 }];
    const v2 = [{ path: 'sites/a.conf', content: 'A2\n', mode: 0o644 }, { path: 'sites/b.conf', content: 'B\n', mode: 0o644 }];
    await applyFileSet(dir, v1, ['sites'], async () => undefined, async () => void reloads.push('v1'));
    // the "agent" validates v2, starts the reload and dies there: the promise never settles
    let reloading = false;
    void applyFileSet(dir, v2, ['sites'], async () => undefined, () => ((reloading = true), new Promise<void>(() => undefined)));
    await until('the reload step', async () => reloading, 5000, 5);
    assert.ok(existsSync(path.join(dir, '.abri-journal')), 'the journal stays until the service has loaded the files');
    // the restarted agent: same desired files; they must not look "unchanged"
    const again = await applyFileSet(dir, v2, ['sites'], async () => undefined, async () => void reloads.push('v2'));
    assert.deepEqual(again.changed.sort(), ['sites/a.conf', 'sites/b.conf']);
    assert.deepEqual(reloads, ['v1', 'v2'], 'the service is reloaded with the files it never loaded');
    assert.equal(await readFile(path.join(dir, 'sites/b.conf'), 'utf8'), 'B\n');
    assert.ok(!existsSync(path.join(dir, '.abri-journal')));
  });

  test('a reload that fails puts the previous files back', async () => {
    const v3 = [{ path: 'sites/a.conf', content: 'A3\n', mode: 0o644 }];
    await assert.rejects(applyFileSet(dir, v3, ['sites'], async () => undefined, async () => {
      throw new Error('graceful failed');
    }), /graceful failed/);
    assert.equal(await readFile(path.join(dir, 'sites/a.conf'), 'utf8'), 'A2\n');
    assert.ok(existsSync(path.join(dir, 'sites/b.conf')));
  });
});
