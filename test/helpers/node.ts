// A throw-away node root for agent integration tests: free ports, a temp directory holding every
// path the agent writes, and a cleanup that stops the daemons it started and removes test users.
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { freePort, missingServices } from '../harness/services.js';
import { removeAccount } from '../harness/hosting-accounts.js';
import { nodeLayout } from '../../src/agent/node-layout.js';

export interface TestNode {
  root: string;
  webPort: number;
  edgePort: number;
  settings: Record<string, string>;
  cleanup(): Promise<void>;
}

/** uids 194000–194999 are for agent tests (hosting names abt194000…). */
export async function createTestNode(uidBase: number, count = 100): Promise<TestNode> {
  const root = await mkdtemp('/tmp/abri-node-');
  await chmod(root, 0o711);
  await mkdir(path.join(root, 'home'), { mode: 0o711 });
  await chmod(path.join(root, 'home'), 0o711);
  const webPort = await freePort();
  const edgePort = await freePort();
  const settings = {
    ABRI_APPLY: '1',
    ABRI_NODE_ROOT: root,
    ABRI_HOSTING_ROOT: path.join(root, 'home'),
    ABRI_HOSTING_PREFIX: 'abt',
    ABRI_UID_MIN: String(uidBase),
    ABRI_UID_MAX: String(uidBase + count - 1),
    ABRI_WEB_LISTEN: `127.0.0.1:${webPort}`,
    ABRI_EDGE_BIND: '127.0.0.1',
    ABRI_EDGE_HTTP_PORT: String(edgePort),
    ABRI_RECONCILE_SECONDS: '2',
  };
  return {
    root,
    webPort,
    edgePort,
    settings,
    async cleanup() {
      const l = nodeLayout(root);
      const pidFiles = [path.join(l.apacheRunDir, 'apache2.pid'), l.edgePidFile, path.join(l.runDir, 'php-fpm-8.2.pid')];
      for (const f of pidFiles) {
        for (const pid of (await readFile(f, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
      // Apache children and FPM workers die with their masters; give them a moment
      await new Promise((r) => setTimeout(r, 300));
      for (let uid = uidBase; uid < uidBase + count; uid++) await removeAccount(`abt${uid}`).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

export { missingServices };
