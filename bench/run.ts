// Runs the benchmarks (all, or those named on the command line), prints one JSON document on
// stdout and writes each result to bench/results/<name>-<timestamp>.json. Progress goes to stderr.
// A benchmark is a file of bench/ registered below; it measures the physical floor in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sitesList } from './sites-list.js';
import { converge1000, changeLatency } from './web-node.js';
import { dns10000 } from './dns.js';
import { acme200 } from './acme.js';
import { dbProvision } from './databases.js';
import { sftpUpload, wordpressServe } from './wordpress.js';
import { mailDelivery, mailboxProvision } from './mail.js';
import { worksPublish } from './works.js';
import { invoicePdfBench, renewalRunBench } from './billing.js';
import { backupIncremental } from './backups.js';
import { snapshot1000 } from './snapshots.js';

export interface Benchmark {
  name: string;
  description: string;
  run(progress: (message: string) => void): Promise<Record<string, unknown>>;
}

const registry: Benchmark[] = [sitesList, converge1000, changeLatency, dns10000, acme200, dbProvision, sftpUpload, wordpressServe, mailDelivery, mailboxProvision, worksPublish, invoicePdfBench, renewalRunBench, backupIncremental, snapshot1000];

async function main(args: string[]) {
  const unknown = args.filter((a) => !registry.some((b) => b.name === a));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${registry.map((b) => b.name).join(', ')}\n`);
    process.exit(2);
  }
  const selected = args.length ? registry.filter((b) => args.includes(b.name)) : registry;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(resultsDir, { recursive: true });
  const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryMb: Math.round(os.totalmem() / 2 ** 20) };
  const results: Record<string, unknown> = {};
  let failed = false;
  for (const b of selected) {
    const progress = (m: string) => process.stderr.write(`[${b.name}] ${m}\n`);
    const startedAt = new Date().toISOString();
    let result: Record<string, unknown>;
    // other work on the machine skews the figures: the load average before and after says how much
    const loadBefore = os.loadavg().map((l) => Math.round(l * 100) / 100);
    try {
      const out = await b.run(progress);
      result = { name: b.name, description: b.description, startedAt, machine, load: { before: loadBefore, after: os.loadavg().map((l) => Math.round(l * 100) / 100) }, ...out };
    } catch (e) {
      failed = true;
      progress(`failed: ${(e as Error).stack ?? e}`);
      result = { name: b.name, description: b.description, startedAt, machine, error: String((e as Error).message ?? e) };
    }
    results[b.name] = result;
    writeFileSync(path.join(resultsDir, `${b.name}-${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
  }
  process.stdout.write(JSON.stringify({ startedAt: stamp, machine, results }, null, 2) + '\n');
  if (failed) process.exitCode = 1;
}

await main(process.argv.slice(2));
