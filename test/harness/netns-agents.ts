// Abri on the hosts of a test network (netns.ts): the settings an agent needs on a host (its own
// node root, addresses and ports), the real `abri agent` process started in it, and a test file
// re-run inside a host (the manager's: then the manager itself lives in the test network).
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { attachNetwork, type Host, type HostProcess, type Network } from './netns.js';
import { nodeArgs, repoModule } from './sources.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Port Apache listens on, on every web host (the edge forwards there). */
export const WEB_PORT = 8081;

/** An agent's settings on a host: everything it writes under the host's own directory, bound to its own address. */
export function agentSettings(net: Network, host: Host, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ABRI_CONFIG: '/nonexistent/abri.conf',
    ABRI_APPLY: '1',
    ABRI_NODE_ROOT: host.root,
    ABRI_DATA_DIR: path.join(host.dir, 'data'),
    ABRI_HOSTING_ROOT: net.homes,
    ABRI_WEB_LISTEN: `${host.ipv4}:${WEB_PORT}`,
    ABRI_EDGE_BIND: host.ipv4,
    ABRI_EDGE_HTTP_PORT: '80',
    ABRI_EDGE_HTTPS_PORT: '443',
    ABRI_DNS_LISTEN: `${host.ipv4}:53`,
    // changes arrive by long poll; the periodic repair pass would only add noise to the logs
    ABRI_RECONCILE_SECONDS: '3600',
    ABRI_LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Starts `abri agent --manager URL --token T --apply` (from the sources) in the host. */
export function startAgent(net: Network, host: Host, opts: { manager: string; token: string; settings?: Record<string, string> }): HostProcess {
  const env = { ...process.env, ...agentSettings(net, host, opts.settings) };
  delete env.NODE_TEST_CONTEXT;
  return host.spawn(process.execPath, [...nodeArgs(repoModule('src/cli/main.ts')), 'agent', '--manager', opts.manager, '--token', opts.token, '--apply'], {
    env, cwd: REPO, name: 'agent',
  });
}

const NETWORK_ENV = 'ABRI_TEST_NETWORK';

/** The network this process was started in by runTestIn(), or null (the process that made it). */
export function networkOfThisProcess(): Network | null {
  const s = process.env[NETWORK_ENV];
  return s ? attachNetwork(s) : null;
}

/**
 * Runs a test file in a host (node [--import tsx] FILE: node:test runs its tests and exits non-zero
 * when one fails); it finds the network with networkOfThisProcess(). Resolves with its exit code
 * and its TAP output.
 */
export async function runTestIn(net: Network, host: Host, file: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, [NETWORK_ENV]: net.serialize() };
  delete childEnv.NODE_TEST_CONTEXT; // it reports as a test file of its own, not to our runner
  const p = host.spawn(process.execPath, ['--test-reporter=tap', ...nodeArgs(file)], { env: childEnv, cwd: REPO, name: 'test' });
  const code = await p.exited;
  return { code, output: p.output() };
}
