// Several hosts on one machine, for tests: each host is a network namespace the test makes itself,
// linked by a veth pair to a bridge that lives in a namespace of its own. A host's addresses
// (10.203.0.N/24 and fd00:203::N/64) exist only inside these namespaces and no namespace has a
// default route: no packet ever leaves the machine. Each host has its own directory (its
// ABRI_NODE_ROOT, its data, its hosting root) and runs processes with `ip netns exec`; its hosting
// root is bind-mounted at the network's `homes` path in its processes (their own mount namespace),
// so every host sees its own /home at the same path, as separate machines would.
//
// Names start with `abrinet-<pid of the creating process>-`; `cleanLeftovers()` removes what a
// crashed run left behind (namespaces, their processes, its test users, its directory).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BASE, PREFIX, removeNetwork, removeUsers } from './netns-cleanup.js';
import { run, signal, type RunResult } from './run.js';

export { cleanLeftovers } from './netns-cleanup.js';


export interface HostPlan {
  /** letters, digits and hyphens, at most 12 characters */
  name: string;
  /** what the host is for (web, edge, dns, manager, client, db, mail…): the test's own vocabulary */
  roles?: string[];
}

export interface NetworkPlan {
  hosts: HostPlan[];
  /** Unix users the test creates (prefix + uid), removed by destroy() and after a crash */
  users?: { prefix: string; min: number; max: number };
}

/** A process started in a host; its output is kept (and written to `logFile`). */
export interface HostProcess {
  child: ChildProcess;
  logFile: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM to the process (not to the daemons it started), then SIGKILL after 10 s */
  stop(): Promise<void>;
}

export interface HostInfo {
  name: string;
  roles: string[];
  netns: string;
  ipv4: string;
  ipv6: string;
  /** its private directory */
  dir: string;
  /** its ABRI_NODE_ROOT */
  root: string;
  /** its own hosting root: seen at the network's `homes` by its processes */
  hostingRoot: string;
}

export interface Host extends HostInfo {
  /** ipv4 then ipv6 */
  addresses: string[];
  /** starts a long-running process in the host (its own process group; output kept) */
  spawn(cmd: string, args: string[], opts?: { env?: NodeJS.ProcessEnv; cwd?: string; name?: string }): HostProcess;
  /** runs a command to completion in the host */
  run(cmd: string, args: string[], opts?: { allowFailure?: boolean; timeoutMs?: number }): Promise<RunResult>;
}

export interface NetworkInfo {
  id: string;
  dir: string;
  /** where each host's processes see their own hosting root (give it as ABRI_HOSTING_ROOT) */
  homes: string;
  bridge: string;
  users: NetworkPlan['users'] | null;
  hosts: HostInfo[];
}

export interface Network extends NetworkInfo {
  hosts: Host[];
  host(name: string): Host;
  withRole(role: string): Host[];
  /** the description a process started in a host reads back with attachNetwork() */
  serialize(): string;
  /** stops every process of every host, removes the namespaces, the test users and the directory */
  destroy(): Promise<void>;
}

const nsName = (id: string, host: string) => `${PREFIX}${id}-${host}`;
const ip = (args: string[]) => run('ip', args);

/** Why this machine cannot make network namespaces (null: it can). */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not root (ip netns needs CAP_SYS_ADMIN and CAP_NET_ADMIN)';
  const probe = `${PREFIX}probe-${process.pid}`;
  let made = false;
  try {
    await ip(['netns', 'add', probe]);
    made = true;
    await ip(['-n', probe, 'link', 'add', 'b0', 'type', 'bridge']);
    await ip(['-n', probe, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    return null;
  } catch (e) {
    return `ip netns / veth / bridge not permitted here: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    if (made) await ip(['netns', 'del', probe]);
  }
}

/** Makes the namespaces, the bridge, the addresses and the directories of a network of hosts. */
export async function createNetwork(plan: NetworkPlan): Promise<Network> {
  const names = new Set<string>();
  for (const h of plan.hosts) {
    if (!/^[a-z][a-z0-9-]{0,11}$/.test(h.name)) throw new Error(`host name "${h.name}": letters, digits, hyphens, at most 12`);
    if (names.has(h.name)) throw new Error(`two hosts named ${h.name}`);
    names.add(h.name);
  }
  if (plan.hosts.length > 200) throw new Error('at most 200 hosts');
  const id = String(process.pid);
  const dir = path.join(BASE, `${PREFIX}${id}`);
  if (existsSync(dir)) await removeNetwork(id, null);
  await removeUsers(plan.users ?? null); // a crashed run of the same test may have left them
  await mkdir(dir, { mode: 0o711 });
  await chmod(dir, 0o711); // Apache and the hostings traverse it to their homes
  const homes = path.join(dir, 'home');
  await mkdir(homes, { mode: 0o711 });
  const info: NetworkInfo = { id, dir, homes, bridge: nsName(id, 'br'), users: plan.users ?? null, hosts: [] };
  try {
    await ip(['netns', 'add', info.bridge]);
    await ip(['-n', info.bridge, 'link', 'add', 'br0', 'type', 'bridge']);
    await ip(['-n', info.bridge, 'link', 'set', 'br0', 'up']);
    for (const [i, h] of plan.hosts.entries()) {
      const n = 10 + i;
      const host: HostInfo = {
        name: h.name, roles: h.roles ?? [], netns: nsName(id, h.name), ipv4: `10.203.0.${n}`, ipv6: `fd00:203::${n.toString(16)}`,
        dir: path.join(dir, 'hosts', h.name), root: path.join(dir, 'hosts', h.name, 'root'), hostingRoot: path.join(dir, 'hosts', h.name, 'home'),
      };
      for (const d of [path.dirname(host.dir), host.dir, host.root, host.hostingRoot, path.join(host.dir, 'data')]) {
        await mkdir(d, { recursive: true, mode: 0o711 });
        await chmod(d, 0o711);
      }
      const peer = `v-${h.name}`;
      await ip(['netns', 'add', host.netns]);
      await ip(['-n', host.netns, 'link', 'set', 'lo', 'up']);
      await ip(['-n', host.netns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', peer, 'netns', info.bridge]);
      await ip(['-n', info.bridge, 'link', 'set', peer, 'master', 'br0', 'up']);
      await ip(['-n', host.netns, 'addr', 'add', `${host.ipv4}/24`, 'dev', 'eth0']);
      await ip(['-n', host.netns, 'addr', 'add', `${host.ipv6}/64`, 'dev', 'eth0', 'nodad']);
      await ip(['-n', host.netns, 'link', 'set', 'eth0', 'up']);
      info.hosts.push(host);
    }
    await writeFile(path.join(dir, 'network.json'), JSON.stringify(info, null, 2));
    await assertSealed(info);
  } catch (e) {
    await removeNetwork(id, info);
    throw e;
  }
  return network(info, true);
}

/** No host has a default route or any route out of 10.203.0.0/24 and fd00:203::/64 (besides link-local). */
async function assertSealed(info: NetworkInfo): Promise<void> {
  for (const h of info.hosts) {
    for (const family of ['-4', '-6']) {
      const routes = (await ip([family, '-n', h.netns, 'route', 'show', 'table', 'all'])).stdout.split('\n').filter(Boolean);
      const out = routes.filter((r) => !/^(local|broadcast|multicast|anycast) /.test(r) && !/^(10\.203\.0\.0\/24|fd00:203::\/64|fe80::\/64) /.test(r));
      if (out.length) throw new Error(`host ${h.name} has routes leaving the test network: ${out.join(' | ')}`);
    }
  }
}

/** The network described by serialize(), in a process started in one of its hosts. */
export function attachNetwork(serialized: string): Network {
  return network(JSON.parse(serialized) as NetworkInfo, false);
}

function network(info: NetworkInfo, owner: boolean): Network {
  const started = new Set<HostProcess>();
  const hosts = info.hosts.map((h) => hostOf(info, h, started));
  return {
    ...info,
    hosts,
    host(name) {
      const h = hosts.find((x) => x.name === name);
      if (!h) throw new Error(`no host named ${name}`);
      return h;
    },
    withRole: (role) => hosts.filter((h) => h.roles.includes(role)),
    serialize: () => JSON.stringify(info),
    async destroy() {
      await Promise.all([...started].map((p) => p.stop()));
      if (owner) await removeNetwork(info.id, info);
    },
  };
}

/** The command line that runs `cmd` in the host: its namespace, its hosting root mounted at `homes`. */
function inHost(info: NetworkInfo, h: HostInfo, cmd: string, args: string[]): string[] {
  return ['netns', 'exec', h.netns, 'sh', '-c', 'mount --bind -- "$1" "$2" && shift 2 && exec "$@"', `host-${h.name}`, h.hostingRoot, info.homes, cmd, ...args];
}

function hostOf(info: NetworkInfo, h: HostInfo, started: Set<HostProcess>): Host {
  let count = 0;
  return {
    ...h,
    addresses: [h.ipv4, h.ipv6],
    spawn(cmd, args, opts = {}) {
      const logFile = path.join(h.dir, `${opts.name ?? path.basename(cmd)}-${++count}.log`);
      const child = spawn('ip', inHost(info, h, cmd, args), { env: opts.env ?? process.env, cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: string[] = [];
      const log = createWriteStream(logFile, { flags: 'a' });
      log.on('error', (e) => chunks.push(`[log ${logFile}: ${e.message}]`));
      const keep = (d: Buffer) => {
        chunks.push(String(d));
        log.write(d);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      child.on('error', (e) => chunks.push(`spawn error: ${e.message}`));
      // 'exit', not 'close': daemons it started may keep its output pipes open
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
        log.end();
        resolve(code);
      }));
      const p: HostProcess = {
        child,
        logFile,
        output: () => chunks.join(''),
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null && child.pid) {
            signal(child.pid, 'SIGTERM');
            const timer = setTimeout(() => signal(child.pid!, 'SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
          }
          started.delete(p);
        },
      };
      started.add(p);
      void exited.then(() => started.delete(p));
      return p;
    },
    run: (cmd, args, opts = {}) => run('ip', inHost(info, h, cmd, args), opts),
  };
}
