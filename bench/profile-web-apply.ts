// Profiles the web driver's applies on a real node (root): N hostings × 1 site applied in steps
// (as the agent sees them while an import runs), printing each apply's duration and phases.
// Usage: node --import tsx bench/profile-web-apply.ts [N] [step]
import path from 'node:path';
import pino from 'pino';
import { WebDriver } from '../src/hosting/apply-web.js';
import { EdgeDriver } from '../src/edge/apply-edge.js';
import { nodeLayout } from '../src/node/layout.js';
import type { DesiredHosting, DesiredState } from '../src/node/protocol.js';
import { WorkerExecutor } from '../src/platform/executor-worker.js';
import { loadConfig } from '../src/platform/config.js';
import { createTestNode } from '../test/helpers/node.js';

const N = Number(process.argv[2] ?? 1000);
const STEP = Number(process.argv[3] ?? 150);
const UID = 195_000;
const node = await createTestNode(UID, N);
const log = pino({ level: 'debug' }, pino.destination(2));
const exec = new WorkerExecutor();
const settings = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ...node.settings }).node;
const layout = nodeLayout(node.root);
const web = new WebDriver(exec, settings, layout, log.child({ driver: 'web' }));
const edge = new EdgeDriver(exec, settings, layout, { address: '127.0.0.1', port: 9 }, log.child({ driver: 'edge' }));
const hosting = (i: number): DesiredHosting => ({
  id: `h${i}`, name: `abt${UID + i}`, uid: UID + i, home: path.join(node.root, 'home', `abt${UID + i}`), status: 'active',
  php: { maxChildren: 4, memoryMb: 128 },
  sites: [{ id: `s${i}`, domain: `p${i}.bench.test`, aliases: [], documentRoot: 'www', phpVersion: '8.2', httpsMode: 'both', status: 'active' }],
});
const state = (n: number, revision: number): DesiredState => ({
  revision,
  server: { id: 'server-1', name: 'web1', roles: ['web', 'edge'] },
  web: { hostings: Array.from({ length: n }, (_, i) => hosting(i)), apacheInstances: 1, purges: [] },
  edge: {
    backends: [{ name: 'web1', address: '127.0.0.1', instances: 1 }],
    hosts: Array.from({ length: n }, (_, i) => ({ host: `p${i}.bench.test`, siteId: `s${i}`, backend: 'web1', instance: 0, httpsMode: 'both' as const, suspended: false, tls: false })),
    certificates: [],
  },
});
try {
  let rev = 1;
  for (const n of [...new Set([...Array.from({ length: Math.ceil(N / STEP) }, (_, k) => Math.min(N, (k + 1) * STEP)), N])]) {
    const s = state(n, rev++);
    const t0 = performance.now();
    const w = await web.reconcile(s, { repair: false });
    const t1 = performance.now();
    const e = await edge.reconcile(s, { repair: false });
    const t2 = performance.now();
    const bad = [...w.objects, ...e.objects].filter((o) => o.status !== 'live');
    process.stderr.write(`### ${n} hostings: web ${Math.round(t1 - t0)} ms, edge ${Math.round(t2 - t1)} ms; errors ${w.error ?? ''} ${e.error ?? ''} ${bad.length} objects not live\n`);
  }
} finally {
  exec.close();
  if (process.env.KEEP) process.stderr.write(`kept ${node.root} (cleanup: ABRI… rerun without KEEP)\n`);
  else await node.cleanup();
}
