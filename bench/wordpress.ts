// WordPress benchmarks (root): the stack of test/helpers/site-stack.ts (manager with its local agent
// applying for real: HAProxy, Apache + PHP-FPM, the SFTP sshd; a real MariaDB) and Debian's WordPress.
//  sftp-upload: the WordPress tree (about 2,600 files, 60 MB) uploaded with `sftp -b` through the
//    hosting's SFTP user (key, chroot, internal-sftp) into the site's folder. Floor, same run, same
//    disk: the same tree copied as root with `cp -r` (a `sync` before each). Median of 3 of each; ratio upload / floor (and of
//    the fastest rounds, the least disturbed on a shared machine).
//  wordpress-serve: requests/s of the installed WordPress's front page (PHP, MariaDB) through the edge
//    (HAProxy → Apache → PHP-FPM) against straight to Apache at the same concurrency, keep-alive
//    clients: the edge's overhead. Rounds alternate edge and direct (the order swapped each round) so
//    the load of a shared machine weighs on both alike; the same for a static file (Apache alone).
import http from 'node:http';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSiteStack, type SiteStack } from '../test/helpers/site-stack.js';
import { Browser, missingWordPress, wordpressTree } from '../test/helpers/wordpress.js';
import { missingServices } from '../test/helpers/node.js';
import { missingMariadb } from '../test/harness/mariadb.js';
import { run } from '../test/harness/run.js';
import type { Benchmark } from './run.js';

const round = (n: number) => Math.round(n * 1000) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const DOMAIN = 'bench.velo.example';

async function stackWithTree(uidBase: number, progress: (m: string) => void): Promise<{ s: SiteStack; tree: string; files: number }> {
  const missing = [...missingServices(), ...missingMariadb(), ...missingWordPress()];
  if (missing.length) throw new Error(`needs root and ${[...new Set(missing)].join(', ')}`);
  progress('starting the manager, its agent (edge, web, SFTP), MariaDB; creating the hosting, site, SFTP user and database');
  const s = await startSiteStack({ uidBase, domain: DOMAIN, settings: { ABRI_RECONCILE_SECONDS: '3600' } });
  try {
    const tree = path.join(s.clientDir, 'wordpress');
    await mkdir(tree);
    const files = await wordpressTree(tree, s.database);
    return { s, tree, files };
  } catch (e) {
    await s.close();
    throw e;
  }
}

const fileCount = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;

export const sftpUpload: Benchmark = {
  name: 'sftp-upload',
  description: 'the WordPress tree uploaded with sftp -b through a hosting\'s SFTP user, against the same tree copied as root (cp -r) to the same disk',
  async run(progress) {
    const { s, tree, files } = await stackWithTree(196_200, progress);
    try {
      const bytes = Number((await run('du', ['-sb', tree])).stdout.split('\t')[0]);
      const upload: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < 3; i++) {
        await run('sync', []); // neither pays for the other's writeback of dirty pages
        const t0 = performance.now();
        const r = await s.sftp([`cd ${DOMAIN}`, `mkdir run${i}`, `cd run${i}`, `lcd ${tree}`, 'put -r *']);
        upload.push((performance.now() - t0) / 1000);
        if (r.code !== 0) throw new Error(`sftp failed: ${r.stderr}`);
        const target = path.join(s.site.docroot, `run${i}`);
        if ((await fileCount(target)) !== files) throw new Error(`the upload holds ${await fileCount(target)} files, not ${files}`);
        const copy = path.join(s.hosting.home, `var/www/floor${i}`);
        await run('sync', []);
        const t1 = performance.now();
        await run('cp', ['-r', tree, copy]);
        floor.push((performance.now() - t1) / 1000);
        await rm(target, { recursive: true });
        await rm(copy, { recursive: true });
        progress(`round ${i + 1}: sftp ${round(upload[i]!)} s, cp as root ${round(floor[i]!)} s`);
      }
      const [u, f] = [median(upload), median(floor)];
      return {
        files, megabytes: round(bytes / 2 ** 20), rounds: 3,
        sftp: { seconds: round(u), filesPerSecond: Math.round(files / u), all: upload.map(round) },
        floor: { what: 'cp -r as root, same disk', seconds: round(f), filesPerSecond: Math.round(files / f), all: floor.map(round) },
        ratioToFloor: round(u / f),
        // the machine is shared: the fastest round of each is the least disturbed
        ratioOfBestRounds: round(Math.min(...upload) / Math.min(...floor)),
      };
    } finally {
      await s.close();
    }
  },
};

interface Load { requests: number; seconds: number; requestsPerSecond: number; p50Ms: number; p95Ms: number }

/** `total` GETs of `urlPath` at `concurrency` keep-alive connections; every answer must be 200 and hold `expect`. */
async function load(port: number, host: string, urlPath: string, concurrency: number, total: number, expect: string): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const one = () => new Promise<void>((resolve, reject) => {
    const t = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { host }, agent, timeout: 60_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        if (res.statusCode !== 200 || !body.includes(expect)) return reject(new Error(`${host}${urlPath} on port ${port}: ${res.statusCode} ${body.slice(0, 300)}`));
        latencies.push(performance.now() - t);
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < total) await one();
    }));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - t0) / 1000;
  const l = latencies.sort((a, b) => a - b);
  const q = (p: number) => round(l[Math.min(l.length - 1, Math.ceil(p * l.length) - 1)]!);
  return { requests: l.length, seconds: round(seconds), requestsPerSecond: round(l.length / seconds), p50Ms: q(0.5), p95Ms: q(0.95) };
}

/**
 * Edge and direct measured in alternating rounds (the order swapped every round): on a shared machine
 * the load of the moment weighs on both alike. Totals over all rounds; the median of the rounds' ratios.
 */
async function paired(s: SiteStack, urlPath: string, expect: string, concurrency: number, rounds: number, perRound: number, progress: (m: string) => void) {
  const targets = { edge: s.node.edgePort, direct: s.node.webPort };
  const all: Record<'edge' | 'direct', Load[]> = { edge: [], direct: [] };
  for (let i = 0; i < rounds; i++) {
    for (const k of i % 2 ? (['direct', 'edge'] as const) : (['edge', 'direct'] as const)) all[k].push(await load(targets[k], DOMAIN, urlPath, concurrency, perRound, expect));
    progress(`${urlPath} round ${i + 1}/${rounds}: edge ${all.edge[i]!.requestsPerSecond}/s, direct ${all.direct[i]!.requestsPerSecond}/s`);
  }
  const total = (k: 'edge' | 'direct') => {
    const seconds = all[k].reduce((a, r) => a + r.seconds, 0);
    const p50s = all[k].map((r) => r.p50Ms);
    return { requests: rounds * perRound, seconds: round(seconds), requestsPerSecond: round((rounds * perRound) / seconds), medianOfRoundP50Ms: round(median(p50s)) };
  };
  const [edge, direct] = [total('edge'), total('direct')];
  return {
    path: urlPath, concurrency, rounds, requestsPerRound: perRound, edge, direct,
    edgeOverheadPercent: round((1 - edge.requestsPerSecond / direct.requestsPerSecond) * 100),
    medianRoundRatioEdgeToDirect: round(median(all.edge.map((r, i) => r.requestsPerSecond / all.direct[i]!.requestsPerSecond))),
    edgeAddsMsAtP50: round(edge.medianOfRoundP50Ms - direct.medianOfRoundP50Ms),
  };
}

export const wordpressServe: Benchmark = {
  name: 'wordpress-serve',
  description: 'requests/s of the WordPress front page through the edge (HAProxy) against straight to Apache + PHP-FPM, same concurrency: the edge\'s overhead',
  async run(progress) {
    const concurrency = Number(process.env.ABRI_BENCH_WP_CONCURRENCY ?? 4);
    const rounds = Number(process.env.ABRI_BENCH_WP_ROUNDS ?? 8);
    const perRound = Number(process.env.ABRI_BENCH_WP_REQUESTS ?? 25);
    const { s, tree } = await stackWithTree(196_300, progress);
    try {
      progress('uploading WordPress over SFTP and running its installer');
      const up = await s.sftp([`cd ${DOMAIN}`, `lcd ${tree}`, 'put -r *']);
      if (up.code !== 0) throw new Error(`sftp failed: ${up.stderr}`);
      const installed = await new Browser(s.node.edgePort, DOMAIN).post('/wp-admin/install.php?step=2', {
        weblog_title: 'Bench Velo', user_name: 'bench', admin_password: 'a long bench pass phrase', admin_password2: 'a long bench pass phrase', pw_weak: 'on',
        admin_email: 'bench@velo.test', blog_public: '0', language: '', Submit: 'Install WordPress',
      });
      if (!installed.text.includes('Success!')) throw new Error(`the installer did not finish: ${installed.status} ${installed.text.slice(0, 500)}`);
      await load(s.node.edgePort, DOMAIN, '/', concurrency, 4 * concurrency, 'Bench Velo'); // PHP-FPM's ondemand workers started, OPcache warm
      const frontPage = await paired(s, '/', 'Bench Velo', concurrency, rounds, perRound, progress);
      // the same through a static file: Apache alone, where the edge's share of each request shows most
      const staticFile = await paired(s, '/wp-includes/css/dashicons.min.css', 'dashicons', concurrency, rounds, perRound * 8, progress);
      return {
        page: 'the front page of a fresh WordPress 6.1 (theme Twenty Twenty-Three, one post), PHP 8.2 FPM (ondemand, 5 children), MariaDB over TCP',
        frontPage, staticFile,
      };
    } finally {
      await s.close();
    }
  },
};
