// A server of the `status` role serves the public works page with an Apache of its own, apart from
// the manager: the desired state names the page's digest; when it differs from the one served, the
// agent fetches the page (GET /agent/v1/works-page), checks it (safe paths, its own digest) and swaps
// it in whole (apply-export.ts: a link renamed over the previous one). The Apache keeps serving the
// last page it has, whatever happens to the manager, its database or this agent.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { ensureDir } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { livePid } from '../platform/pid-file.js';
import { detailOf, objectState, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState } from '../node/protocol.js';
import type { WorksPageBundle } from '../node/protocol-works.js';
import type { NodeLayout } from '../node/layout.js';
import { PlatformApp } from '../hosting/apply-platform-app.js';
import { waitUntil } from '../platform/wait.js';
import { publishDirectory } from './apply-export.js';
import { renderStatusApache, type StatusApacheSpec } from './render-status-apache.js';
import { pageProblem } from './rules-publish.js';

/** Where a status server keeps its page and its Apache, under the node's root. */
export function statusPaths(layout: NodeLayout, node: NodeSettings): StatusApacheSpec & { digestFile: string } {
  const pages = path.join(layout.root, 'var/lib/abri/status');
  return {
    configDir: `${layout.apacheDir}-status`, runDir: `${layout.apacheRunDir}-status`, logDir: `${layout.apacheLogDir}-status`, modulesDir: '/usr/lib/apache2/modules',
    listenAddress: node.status.host, listenPort: node.status.port, user: node.web.user, pageLink: path.join(pages, 'page'), digestFile: path.join(pages, 'digest'),
  };
}

const placeholder = [{ path: 'index.html', content: '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Works</title></head><body><main><h1>Works</h1><p>No page published yet.</p></main></body></html>\n', mode: 0o644 }];

export class StatusDriver implements Driver {
  readonly name = 'status';
  private readonly apache: PlatformApp;

  constructor(
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
    /** the page as the manager hands it out */
    private readonly fetchPage: () => Promise<WorksPageBundle>,
    exec: Executor,
  ) {
    this.apache = new PlatformApp(exec, node, { ...node.status, user: node.web.user, uid: null, php: '' }, 'the works page', 'ABRI_STATUS', log);
  }

  /** Every server: one that lost the role stops serving the page. */
  handles() {
    return true;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const s = statusPaths(this.layout, this.node);
    try {
      if (!state.status) {
        await this.remove(s);
        return { objects: [] };
      }
      const served = await this.page(s, state.status.page?.digest ?? null);
      const [conf] = renderStatusApache(s);
      for (const d of [s.runDir, s.logDir]) await ensureDir(d, 0o755);
      await this.apache.applyApache({ apache: s }, conf!.content);
      return { objects: served ? [objectState('works-page', served, this.node.apply ? 'live' : 'rendered')] : [] };
    } catch (e) {
      return { objects: [], error: `the works page: ${detailOf(e)}` };
    }
  }

  /** Makes the page at the link the one of `digest` (fetching it when it differs); answers the digest served. */
  private async page(s: ReturnType<typeof statusPaths>, digest: string | null): Promise<string | null> {
    const current = (await readIfExists(s.digestFile))?.trim() || null;
    if (current !== null && current === digest && existsSync(s.pageLink)) return current;
    // no page named (none rendered when the state was built — or rendered by an export that did not
    // see this server yet): ask anyway, and serve a placeholder until there is one
    const page = digest === null
      ? await this.fetchPage().catch((e: unknown) => {
        this.log.debug({ err: e }, 'no works page from the manager yet');
        return null;
      })
      : await this.fetchPage();
    if (!page) {
      if (!existsSync(s.pageLink)) await publishDirectory(s.pageLink, placeholder);
      return current;
    }
    if (page.digest === current && existsSync(s.pageLink)) return current;
    const problem = pageProblem(page);
    if (problem) throw new Error(`the page handed out was refused: ${problem}`);
    // the manager may already have a newer page than the revision named: it is as good, a later revision names it
    await publishDirectory(s.pageLink, page.files.map((f) => ({ ...f, mode: 0o644 })));
    await writeFile(s.digestFile, `${page.digest}\n`, { mode: 0o644 });
    this.log.info({ digest: page.digest.slice(0, 12), files: page.files.length }, 'works page published');
    return page.digest;
  }

  private async remove(s: ReturnType<typeof statusPaths>) {
    if (!existsSync(s.configDir)) return;
    const pidFile = path.join(s.runDir, 'apache2.pid');
    const pid = this.node.apply ? await livePid(pidFile) : null;
    if (pid) {
      process.kill(pid, 'SIGTERM');
      await waitUntil('the works page\'s Apache to stop', async () => !(await livePid(pidFile)), 30_000);
    }
    for (const d of [s.configDir, path.dirname(s.pageLink)]) await rm(d, { recursive: true, force: true });
    this.log.info('works page: stopped and removed (not a status server any more)');
  }
}
