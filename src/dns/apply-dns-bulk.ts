// The DNS driver's bulk path: many zones changing the same simple way (a renumbering) are written in
// one transaction into the node's PowerDNS database (render-bulk.ts), PowerDNS's caches purged, and
// the secondaries told by the agent itself, a bounded number of NOTIFYs unanswered at a time
// (apply-notify.ts): PowerDNS would send the 10,000 NOTIFYs of a renumbering in one burst that the
// secondary's and its own receive buffers drop, then again four times. A zone whose NOTIFY stays
// unanswered is handed back to PowerDNS's own notifications; so are the zones of a bulk change the
// agent stopped in the middle of notifying (the list is kept in a file until every NOTIFY is done).
import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import { writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { notifySecondary, type NotifyOptions } from './apply-notify.js';
import { renderBulkSql, renderRenotifySql, type BulkZoneChange } from './render-bulk.js';
import type { PdnsSpec } from './render-pdns.js';

type BulkSpec = Pick<PdnsSpec, 'database' | 'socketDir' | 'user' | 'secondaries' | 'listen'>;

const message = (e: unknown) => (e as Error).message.slice(0, 2000);

export class DnsBulk {
  /** the NOTIFYs of the last bulk changes, in order (a later change waits for the earlier ones) */
  private notifying: Promise<void> = Promise.resolve();
  private recovered = false;

  constructor(
    private readonly exec: Executor,
    private readonly log: Logger,
    private readonly notifyOptions: Omit<NotifyOptions, 'source'> = {},
  ) {}

  /** Where the zones still to be notified are listed while the agent notifies them. */
  static pendingFile = (spec: Pick<PdnsSpec, 'database'>) => path.join(path.dirname(spec.database), 'abri-notify-pending.json');

  /**
   * Writes the changes in one transaction; returns each zone's new serial, or null when the write was
   * refused (the zones then go through the API). The secondaries are notified after it returns.
   */
  async write(spec: BulkSpec, changes: BulkZoneChange[], now: Date): Promise<Map<string, number> | null> {
    await this.recover(spec);
    const { sql, serials } = renderBulkSql(changes, now);
    const zones = changes.map((c) => c.zone);
    const pending = DnsBulk.pendingFile(spec);
    await this.notifying; // its file is the one about to be written
    if (spec.secondaries.length) await writeAtomic(pending, `${JSON.stringify({ zones })}\n`, 0o600);
    try {
      await this.sqlite(spec, sql);
      await this.exec.run('pdns_control', [`--socket-dir=${spec.socketDir}`, 'purge']);
    } catch (e) {
      await rm(pending, { force: true });
      this.log.warn({ err: e, zones: zones.length }, 'bulk change refused; the zones go through the API one by one');
      return null;
    }
    if (spec.secondaries.length) this.notifying = this.notifyAll(spec, zones);
    return serials;
  }

  /** Resolves once the NOTIFYs of the bulk changes made so far are answered or handed to PowerDNS. */
  settled(): Promise<void> {
    return this.notifying;
  }

  /** Zones a stopped agent left unnotified go to PowerDNS's own notifications (once, at the first bulk change or reconcile). */
  async recover(spec: BulkSpec): Promise<void> {
    if (this.recovered) return;
    const pending = DnsBulk.pendingFile(spec);
    const text = await readIfExists(pending);
    if (text !== null) {
      const zones = (JSON.parse(text) as { zones: string[] }).zones;
      await this.sqlite(spec, renderRenotifySql(zones));
      await rm(pending, { force: true });
      this.log.warn({ zones: zones.length }, 'NOTIFYs of an interrupted bulk change left to PowerDNS');
    }
    this.recovered = true;
  }

  private async notifyAll(spec: BulkSpec, zones: string[]): Promise<void> {
    const any = spec.listen.host === '0.0.0.0' || spec.listen.host === '::';
    try {
      const reports = await Promise.all(spec.secondaries.map((target) => notifySecondary(zones, target, { ...this.notifyOptions, source: any ? null : spec.listen.host })));
      const unanswered = new Set<string>();
      for (const r of reports) {
        const secondary = `${r.target.address}:${r.target.port}`;
        if (r.refused.length) this.log.warn({ secondary, refused: r.refused.length, first: r.refused.slice(0, 3) }, 'the secondary refused NOTIFYs');
        if (r.unanswered.length) this.log.warn({ secondary, unanswered: r.unanswered.length, error: r.error }, 'NOTIFYs unanswered; PowerDNS notifies those zones itself');
        for (const z of r.unanswered) unanswered.add(z);
        this.log.info({ secondary, zones: zones.length, acknowledged: r.acknowledged }, 'secondary notified of the bulk change');
      }
      if (unanswered.size) await this.sqlite(spec, renderRenotifySql([...unanswered]));
      await rm(DnsBulk.pendingFile(spec), { force: true });
    } catch (e) {
      // the file stays: the zones go to PowerDNS at the next start
      this.log.error({ err: message(e), zones: zones.length }, 'NOTIFYs of a bulk change failed');
    }
  }

  /** A script run by sqlite3 on PowerDNS's database, as PowerDNS's own user (the WAL must stay its own). */
  private async sqlite(spec: BulkSpec, input: string): Promise<void> {
    const [cmd, args] = spec.user ? ['runuser', ['-u', spec.user, '--', 'sqlite3', spec.database]] : ['sqlite3', [spec.database]];
    await this.exec.run(cmd, args, { input, timeoutMs: 300_000 });
  }
}
