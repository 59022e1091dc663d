// The `abri` command as people use it: the built CLI (bin/abri.js) spawned as a child process with a
// clean environment, in a scratch directory removed when the test process ends.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestManager, type TestManager } from './manager.js';
import { nodeArgs } from '../harness/sources.js';

export const bin = fileURLToPath(new URL('../../bin/abri.js', import.meta.url));
export const scratch = mkdtempSync(path.join(os.tmpdir(), 'abri-cli-'));
// at the process's exit, not in an after() hook: a process running several test files
// (scripts/test-group.mjs) evaluates this module once, and the hook would be the first file's
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

export interface Run { code: number | null; stdout: string; stderr: string; ms: number }

/** Runs `abri ARGS` with a clean environment (no config file, no saved token) plus `env`. */
export function abri(args: string[], env: Record<string, string> = {}, opts: { input?: string; timeoutMs?: number } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs(bin), ...args], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, XDG_CONFIG_HOME: path.join(scratch, 'xdg'), ABRI_CONFIG: path.join(scratch, 'none.conf'), ABRI_LOG_LEVEL: 'warn', ...env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`abri ${args.join(' ')} hung (no exit after ${opts.timeoutMs ?? 180_000} ms)\n${stderr}`));
    }, opts.timeoutMs ?? 180_000); // a hang detector on a loaded machine, not a speed check (speed is npm run bench)
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Asserts a command failed with exactly one `abri: …` line on stderr, and returns that line. */
export function oneLineError(r: Run, code = 1): string {
  assert.equal(r.code, code, `expected exit ${code}; stdout: ${r.stdout}; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^abri: /);
  return lines[0];
}

/** `abri` against a manager with a token: `json` runs a command that must succeed and parses its --json output, `run` returns its stdout. */
export function cliOf(env: () => Record<string, string>) {
  const json = async (...args: string[]) => {
    const r = await abri(['--json', ...args], env());
    assert.equal(r.code, 0, `abri ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    return JSON.parse(r.stdout);
  };
  const run = async (...args: string[]) => {
    const r = await abri(args, env());
    assert.equal(r.code, 0, `abri ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  return { json, run };
}

/**
 * A manager for the tests of the calling describe() (started before them, stopped after), the
 * environment that points `abri` at it with the admin's token, and `json`/`run` with that environment.
 */
export function cliWithManager(options: Parameters<typeof startTestManager>[0] = {}) {
  let m: TestManager | undefined;
  let env: Record<string, string> = {};
  before(async () => {
    m = await startTestManager(options);
    env = { ABRI_API_URL: m.url, ABRI_TOKEN: m.adminToken };
  });
  after(() => m?.close());
  return {
    get m(): TestManager {
      if (!m) throw new Error('the manager is not started yet (use it inside a test)');
      return m;
    },
    get env() {
      return env;
    },
    ...cliOf(() => env),
  };
}
