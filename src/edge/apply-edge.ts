// The edge driver: HAProxy with its host → backend map. When only the map changes and HAProxy runs,
// the change goes through the runtime API (no reload) and the map file is rewritten for restarts;
// anything else is validated with `haproxy -c` and applied by a seamless reload (-sf old pids).
import net from 'node:net';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir, writeAtomic } from '../platform/files.js';
import type { NodeSettings } from '../platform/config.js';
import type { Driver, DriverResult } from '../agent/driver.js';
import type { DesiredState, ObjectReport } from '../agent/protocol.js';
import { edgeSpec, type NodeLayout } from '../agent/node-layout.js';
import { edgeMapEntries, edgeMapPath, renderHaproxy } from './render-haproxy.js';
import type { EdgeSpec } from './spec.js';

const MAP_FILE = 'maps/hosts.map';

/** Sends commands to HAProxy's runtime API, several per connection (`;`-separated); returns the answers. */
export async function runtimeApi(socket: string, commands: string[]): Promise<string> {
  let out = '';
  for (let i = 0; i < commands.length; i += 200) {
    const line = commands.slice(i, i + 200).join(';');
    out += await new Promise<string>((resolve, reject) => {
      let buf = '';
      const c = net.connect(socket, () => c.end(`${line}\n`));
      c.setTimeout(10_000, () => c.destroy(new Error('HAProxy runtime API timed out')));
      c.on('data', (d) => (buf += d));
      c.on('end', () => resolve(buf));
      c.on('error', reject);
    });
  }
  return out;
}

function parseMap(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' ') as [string, string]));
}

async function haproxyPids(pidFile: string): Promise<number[]> {
  const pids = (await readFile(pidFile, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number);
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

export class EdgeDriver implements Driver {
  readonly name = 'edge';
  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly manager: { address: string; port: number },
    private readonly log: Logger,
  ) {}

  handles(state: DesiredState) {
    return !!state.edge;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const spec = edgeSpec(state, this.node, this.layout, this.manager);
    const ok = this.node.apply ? 'live' : 'rendered';
    let error: string | undefined;
    try {
      await this.apply(spec);
    } catch (e) {
      error = `HAProxy: ${(e as Error).message.slice(0, 2000)}`;
    }
    const objects = new Map<string, ObjectReport>();
    for (const h of state.edge?.hosts ?? []) objects.set(h.siteId, { kind: 'site', id: h.siteId, status: error ? 'error' : ok, message: error ?? null });
    return { objects: [...objects.values()], error };
  }

  private async apply(spec: EdgeSpec) {
    const files = renderHaproxy(spec);
    const cfg = path.join(spec.configDir, 'haproxy.cfg');
    if (!this.node.apply) {
      await applyFileSet(spec.configDir, files, ['maps', 'pages']);
      return;
    }
    await ensureDir(path.dirname(this.layout.edgePidFile), 0o755);
    const running = await haproxyPids(this.layout.edgePidFile);
    let reloadNeeded = false;
    if (running.length && (await this.onlyMapDiffers(spec, files))) {
      try {
        await this.updateMapAtRuntime(spec, files.find((f) => f.path === MAP_FILE)!.content);
        return;
      } catch (e) {
        // the running map may be half updated: a reload from the rendered files puts it right
        this.log.warn({ err: e }, 'runtime map update failed; reloading HAProxy instead');
        reloadNeeded = true;
      }
    }
    let started = false;
    const start = async () => {
      await this.exec.run('haproxy', ['-f', cfg, '-D', '-p', this.layout.edgePidFile, ...(running.length ? ['-sf', ...running.map(String)] : [])], { daemonizes: true, umask: 0o022 });
      started = true;
      this.log.info({ reload: running.length > 0 }, running.length ? 'HAProxy reloaded' : 'HAProxy started');
    };
    // a reload is part of the change (journal kept until HAProxy runs the new files); a first start is not
    await applyFileSet(spec.configDir, files, ['maps', 'pages'], async () => void (await this.exec.run('haproxy', ['-c', '-q', '-f', cfg])), running.length ? start : undefined);
    if (!started && (!running.length || reloadNeeded)) await start();
  }

  /** True when every file but the map is what is on disk already. */
  private async onlyMapDiffers(spec: EdgeSpec, files: { path: string; content: string }[]): Promise<boolean> {
    for (const f of files) {
      if (f.path === MAP_FILE) continue;
      if ((await readFile(path.join(spec.configDir, f.path), 'utf8').catch(() => null)) !== f.content) return false;
    }
    return true;
  }

  /** Brings the running map in line with the new one (del/set/add map), then rewrites the file. */
  private async updateMapAtRuntime(spec: EdgeSpec, content: string) {
    const file = edgeMapPath(spec);
    const before = parseMap(await readFile(file, 'utf8').catch(() => ''));
    const after = new Map(edgeMapEntries(spec));
    const commands: string[] = [];
    for (const host of before.keys()) if (!after.has(host)) commands.push(`del map ${file} ${host}`);
    for (const [host, backend] of after) {
      if (!before.has(host)) commands.push(`add map ${file} ${host} ${backend}`);
      else if (before.get(host) !== backend) commands.push(`set map ${file} ${host} ${backend}`);
    }
    if (commands.length) {
      const answer = await runtimeApi(this.layout.edgeSocket, commands);
      if (/unknown|not found|error|denied/i.test(answer)) throw new Error(`runtime API refused the map update: ${answer.trim().slice(0, 500)}`);
      this.log.info({ changes: commands.length }, 'HAProxy map updated at runtime');
    }
    await writeAtomic(file, content, 0o644);
  }
}
