// A server of the `status` role for tests and benchmarks: created through the API, with its own agent
// (over HTTP, as another machine's would be) on a throw-away node root, serving the works page with
// its own Apache on `port`. stop() stops the agent and that Apache and removes the root.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { TestManager } from './manager.js';
import { loadConfig } from '../../src/platform/config.js';
import { createNodeAgent } from '../../src/agent/node.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import { livePid } from '../../src/platform/pid-file.js';
import { nodeLayout } from '../../src/node/layout.js';
import { statusPaths } from '../../src/works/apply-status.js';

export interface StatusNode {
  root: string;
  get(p: string): Promise<{ status: number; type: string | null; body: string }>;
  /** stops the agent (its Apache keeps serving) */
  stopAgent(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStatusNode(m: TestManager, name: string, port: number): Promise<StatusNode> {
  const root = mkdtempSync('/tmp/abri-workspublish-node-');
  chmodSync(root, 0o711); // Apache's user crosses it to the page
  const server = await m.api('POST', '/api/v1/servers', { name, roles: ['status'], addresses: ['127.0.0.1'] });
  if (server.status !== 201) throw new Error(`server ${name}: ${JSON.stringify(server.body)}`);
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent/abri.conf', ABRI_DATA_DIR: path.join(root, 'data'), ABRI_APPLY: '1', ABRI_NODE_ROOT: root,
    ABRI_STATUS_LISTEN: `127.0.0.1:${port}`, ABRI_RECONCILE_SECONDS: '2', ABRI_LOG_LEVEL: 'silent' });
  const url = new URL(m.url);
  const agent = createNodeAgent({ config, link: new HttpManagerLink(m.url, server.body.agentToken), log: pino({ level: 'silent' }), manager: { address: url.hostname, port: Number(url.port) } }).start();
  const pidFile = path.join(statusPaths(nodeLayout(root), config.node).runDir, 'apache2.pid');
  let agentUp = true;
  const stopAgent = async () => {
    if (agentUp) await agent.stop();
    agentUp = false;
  };
  return {
    root,
    get: (p) => fetch(`http://127.0.0.1:${port}${p}`).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text() })),
    stopAgent,
    async stop() {
      await stopAgent();
      // Apache's stop (SIGTERM): the master takes its children with it (a SIGKILL would leave them serving)
      const pid = await livePid(pidFile);
      if (pid) process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && (await livePid(pidFile)); i++) await new Promise((r) => setTimeout(r, 100));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
