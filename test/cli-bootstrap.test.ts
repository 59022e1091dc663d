// `abri admin create`, `abri token create` and `abri serve` on a fresh data directory: the first
// admin made offline, the embedded database held by one process at a time, the setup link.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { abri, bin, oneLineError, scratch } from './helpers/cli.js';
import { freePort } from './harness/services.js';
import { nodeArgs } from './harness/sources.js';

describe('bootstrap on a fresh data directory', () => {
  /** starts `abri serve`; resolves once it answers HTTP */
  async function serve(dataDir: string) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child: ChildProcess = spawn(process.execPath, [...nodeArgs(bin), 'serve'], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, ABRI_CONFIG: path.join(scratch, 'none.conf'), ABRI_DATA_DIR: dataDir, ABRI_LISTEN: `127.0.0.1:${port}`, ABRI_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 180_000; // hang detector only
    for (;;) {
      if (child.exitCode !== null) throw new Error(`abri serve exited with ${child.exitCode}: ${stderr}`);
      try {
        if ((await fetch(`${url}/api/v1/setup`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`abri serve never answered: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      url,
      stderr: () => stderr,
      async stop() {
        child.kill('SIGTERM');
        return exited;
      },
    };
  }

  it('creates the first admin and a token offline, then serves; the embedded database refuses a second process', async (t) => {
    const dataDir = mkdtempSync(path.join(scratch, 'data-'));
    const env = { ABRI_DATA_DIR: dataDir };
    const admin = await abri(['admin', 'create', '--email', 'root@asso.test', '--password-stdin'], env, { input: 'correct horse battery staple\n' });
    assert.equal(admin.code, 0, admin.stderr);
    assert.match(admin.stdout, /administrator root@asso\.test created/);

    const tokenRun = await abri(['token', 'create', '--email', 'root@asso.test', '--json'], env);
    assert.equal(tokenRun.code, 0, tokenRun.stderr);
    const { token } = JSON.parse(tokenRun.stdout);
    assert.match(token, /^abri_/);

    const server = await serve(dataDir);
    let stopped = false;
    t.after(async () => {
      if (!stopped) await server.stop();
    });
    assert.doesNotMatch(server.stderr(), /setup#/, 'an admin exists: no setup link');
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).user.email, 'root@asso.test');

    const busy = await abri(['token', 'create', '--email', 'root@asso.test'], env);
    assert.match(oneLineError(busy), /database\.in_use/);
    assert.equal(busy.code, 1);

    // and the API commands work against it with that token
    const listed = await abri(['--json', 'customer', 'list'], { ABRI_API_URL: server.url, ABRI_TOKEN: token });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout).total, 0);

    assert.equal(await server.stop(), 0);
    stopped = true;
    assert.equal(existsSync(path.join(dataDir, 'db.lock')), false, 'the lock is released on SIGTERM');
    const again = await abri(['token', 'create', '--email', 'root@asso.test', '--json'], env);
    assert.equal(again.code, 0, again.stderr);
  });

  it('prints a setup link when serving an empty data directory', async () => {
    const dataDir = mkdtempSync(path.join(scratch, 'empty-'));
    const server = await serve(dataDir);
    try {
      assert.match(server.stderr(), new RegExp(`${server.url.replace(/[.]/g, '\\.')}/setup#\\S{16,}`));
      assert.match(server.stderr(), /abri admin create/);
      const setup = await fetch(`${server.url}/api/v1/setup`);
      assert.deepEqual(await setup.json(), { needed: true });
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
