// works-publish: time from saving a work (an update over HTTP) to the public page serving it, with
// 1,000 past works: from a status server (its own agent fetching the page, its own Apache on port
// 27602; as root, where Apache is installed) and from the export directory served by a separate
// static web server (python3 -m http.server). Floor, in the same run: rendering the whole page and
// swapping it in (what the export job does), without the job's debounce (1 s) and the runner's poll.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { startTestManager } from '../test/helpers/manager.js';
import { startStatusNode, type StatusNode } from '../test/helpers/status-node.js';
import { publishDirectory } from '../src/works/apply-export.js';
import { publicSite } from '../src/works/operations-export.js';
import { renderWorksSite } from '../src/works/render-site.js';
import type { Benchmark } from './run.js';

const PAST = 1000;
const CHANGES = 10;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;

export const worksPublish: Benchmark = {
  name: 'works-publish',
  description: `saving a work → the page serving it from a status server (its agent and Apache) and from the export directory (a separate static server), with ${PAST} past works`,
  async run(progress) {
    const tmp = mkdtempSync(path.join(tmpdir(), 'abri-works-bench-'));
    const site = path.join(tmp, 'public');
    const m = await startTestManager({ settings: { ABRI_WORKS_EXPORT_DIR: site } });
    const status: StatusNode | null = process.getuid?.() === 0 && existsSync('/usr/sbin/apache2') ? await startStatusNode(m, 'status-bench', 27602) : null;
    const server = spawn('/usr/bin/python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', site], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const port = await new Promise<number>((resolve) => server.stdout!.on('data', (d: Buffer) => {
        const p = /port (\d+)/.exec(d.toString());
        if (p) resolve(Number(p[1]));
      }));
      progress(`announcing ${PAST} past works`);
      const ids: string[] = [];
      for (let i = 0; i < PAST; i++) {
        const r = await m.api('POST', '/api/v1/works', { kind: 'maintenance', title: { fr: `Travaux ${i}`, en: `Works ${i}` }, affects: { platform: true }, plannedStart: '2030-01-01T02:00:00Z', plannedMinutes: 30 }, { unchecked: true });
        ids.push(r.body.id);
      }
      const target = ids.at(-1)!;
      const number = PAST;
      const latencies: number[] = [];
      const statusLatencies: number[] = [];
      const serves = async (get: () => Promise<string>, marker: string) => {
        while (!(await get().catch(() => '')).includes(marker)) await new Promise((r) => setTimeout(r, 20));
        return performance.now();
      };
      for (let i = 0; i < CHANGES; i++) {
        const marker = `bench-update-${i}-${Date.now()}`;
        const t0 = performance.now();
        await m.api('POST', `/api/v1/works/${target}/updates`, { text: { fr: marker, en: marker } }, { unchecked: true });
        const page = `/en/works/${number}.html`;
        const [exported, onStatus] = await Promise.all([
          serves(async () => (await fetch(`http://127.0.0.1:${port}${page}`)).text(), marker),
          status ? serves(async () => (await status.get(page)).body, marker) : null,
        ]);
        latencies.push(exported - t0);
        if (onStatus) statusLatencies.push(onStatus - t0);
        progress(`change ${i + 1}: ${Math.round(latencies.at(-1)!)} ms${onStatus ? `, status server ${Math.round(onStatus - t0)} ms` : ''}`);
      }
      const floor: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await publishDirectory(path.join(tmp, 'floor'), renderWorksSite(await publicSite(m.manager.app)));
        floor.push(performance.now() - t0);
      }
      return {
        pastWorks: PAST, changes: CHANGES,
        latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(Math.max(...latencies)) },
        statusServerMs: statusLatencies.length
          ? { p50: round(percentile(statusLatencies, 50)), p95: round(percentile(statusLatencies, 95)), max: round(Math.max(...statusLatencies)) }
          : 'not measured (needs root and Apache)',
        floorMs: { renderAndSwap: round(Math.min(...floor)) },
        note: 'the export job waits 1 s after a change (changes in a row go out together) and the runner polls every second',
      };
    } finally {
      server.kill();
      await status?.stop();
      await m.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
