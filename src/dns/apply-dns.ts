// The DNS driver: this node's PowerDNS Authoritative (its own instance: config, SQLite database,
// started when it does not run) and the zones in it, kept equal to the desired zones through the
// HTTP API. It is a reconciler: zones missing are created, zones no longer wanted are deleted (only
// those Abri created: account "abri"), changed rrsets are patched. The content it last applied is
// remembered with the zone's serial, so a change of 10,000 zones costs one PATCH each and nothing
// else, while a serial that moved behind Abri's back makes it compare the zone in full again.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { livePid } from '../platform/pid-file.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir, writeAtomic } from '../platform/files.js';
import type { NodeSettings } from '../platform/config.js';
import { randomSecret } from '../platform/secrets.js';
import { inParallel } from '../platform/parallel.js';
import type { Driver, DriverResult } from '../node/driver.js';
import type { DesiredState, DesiredZone, ObjectProblem, ObjectReport } from '../node/protocol.js';
import { objectState } from '../node/driver.js';
import { readIfExists } from '../platform/if-exists.js';
import { systemUser } from '../platform/system-accounts.js';
import type { NodeLayout } from '../node/layout.js';
import { PowerDnsApi, type PdnsRrsetChange } from './powerdns-api.js';
import { bulkable, renderBulkSql } from './render-bulk.js';
import { DnsBulk } from './apply-dns-bulk.js';
import { renderPdnsConf, renderZoneFile, type PdnsSpec } from './render-pdns.js';
import { fromPdns, rrsetChanges, toPdns } from './zone-diff.js';

const ACCOUNT = 'abri';
/** Changes in flight: PowerDNS spends most of a change outside its database's write lock. */
export const PARALLEL_CHANGES = 4;

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';
const message = (e: unknown) => (e as Error).message.slice(0, 2000);

interface Plan {
  zone: DesiredZone;
  hash: string;
  create?: boolean;
  changes?: PdnsRrsetChange[];
  /** the zone's serial when its changes were computed */
  serial?: number;
}

interface Applied {
  hash: string;
  rrsets: DesiredZone['rrsets'];
  /** serial PowerDNS reported after Abri's last change (null: not read yet) */
  serial: number | null;
}

const hashOf = (z: DesiredZone) => createHash('sha256').update(JSON.stringify(z.rrsets)).digest('hex');


export class DnsDriver implements Driver {
  readonly name = 'dns';
  private applied = new Map<string, Applied>();
  private readonly bulk: DnsBulk;

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
  ) {
    this.bulk = new DnsBulk(exec, log);
  }

  handles(state: DesiredState) {
    return !!state.dns;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const dns = state.dns!;
    const ok = this.node.apply ? 'live' : 'rendered';
    const report = (errors: Map<string, string>, node?: string): ObjectReport[] =>
      dns.zones.map((z) => {
        const detail = errors.get(z.name);
        const problem: ObjectProblem | null = detail !== undefined
          ? { code: 'dns.zone_refused', params: { zone: z.name, detail }, message: `PowerDNS refused the zone ${z.name}: ${detail}` }
          : node ? { code: 'server.failed', params: { service: 'PowerDNS' }, message: 'the DNS server could not apply the change; staff see why in the server\'s error' } : null;
        return objectState('zone', z.id, ok, problem);
      });
    try {
      const pdns = await this.pdnsSpec(dns.secondaries);
      if (!this.node.apply) {
        // each zone rendered on its own: one that cannot be written is reported, the others are
        const errors = new Map<string, string>();
        const files = [renderPdnsConf(pdns)];
        for (const z of dns.zones) {
          try {
            files.push(renderZoneFile(z.name, z.rrsets));
          } catch (e) {
            errors.set(z.name, message(e));
          }
        }
        await applyFileSet(this.layout.pdnsDir, files, ['zones']);
        return { objects: report(errors) };
      }
      const api = await this.ensureServer(pdns);
      await this.bulk.recover(pdns);
      // a zone PowerDNS refuses is that zone's error alone (the server's error stays for the server)
      return { objects: report(await this.syncZones(api, dns.zones, pdns)) };
    } catch (e) {
      const err = `PowerDNS: ${message(e)}`;
      return { objects: report(new Map(), err), error: err };
    }
  }

  /** pdns.conf's inputs; the API key is made once and kept (0600) next to the config. */
  private async pdnsSpec(secondaries: PdnsSpec['secondaries']): Promise<PdnsSpec> {
    const keyFile = path.join(this.layout.pdnsDir, 'api-key');
    let apiKey = ((await readIfExists(keyFile)) ?? '').trim();
    if (!apiKey) {
      apiKey = randomSecret(24);
      await ensureDir(this.layout.pdnsDir, 0o755);
      await writeAtomic(keyFile, `${apiKey}\n`, 0o600);
    }
    const user = this.node.apply && (await systemUser('pdns')) ? 'pdns' : null;
    return {
      configDir: this.layout.pdnsDir,
      database: path.join(this.layout.pdnsDataDir, 'pdns.sqlite3'),
      socketDir: this.layout.pdnsRunDir,
      listen: { host: this.node.dns.host, port: this.node.dns.port },
      apiPort: this.node.dns.apiPort,
      apiKey,
      secondaries,
      user,
    };
  }

  /** Writes pdns.conf (validated by PowerDNS itself), creates the database, starts or restarts PowerDNS. */
  private async ensureServer(spec: PdnsSpec): Promise<PowerDnsApi> {
    await ensureDir(spec.configDir, 0o755);
    // parents first: ensureDir gives every directory it creates the mode asked, and PowerDNS's user must traverse them
    await ensureDir(path.dirname(this.layout.pdnsDataDir), 0o755);
    await ensureDir(this.layout.pdnsDataDir, 0o750);
    await ensureDir(spec.socketDir, 0o755);
    await ensureDir(this.layout.logDir, 0o755);
    if (!existsSync(spec.database)) {
      const tmp = `${spec.database}.abri-tmp`;
      await this.exec.run('sqlite3', [tmp, `.read ${SCHEMA}`]);
      await this.exec.run('mv', ['-f', tmp, spec.database]);
    }
    if (spec.user) {
      // PowerDNS drops to its user after binding: its database (and the WAL next to it) must be its own
      const ids = await systemUser(spec.user);
      if (!ids) throw new Error(`there is no user ${spec.user} on this machine`);
      const { uid, gid } = ids;
      for (const p of [this.layout.pdnsDataDir, spec.database, spec.socketDir]) await chown(p, uid, gid);
    }
    const conf = renderPdnsConf(spec);
    const pidFile = path.join(spec.socketDir, 'abri-pdns.pid');
    const running = await livePid(pidFile);
    const validate = async () => void (await this.exec.run(this.node.dns.pdnsServer, [`--config-dir=${spec.configDir}`, '--config=check']));
    const result = await applyFileSet(spec.configDir, [conf], [], validate);
    const changed = result.changed.length > 0;
    if (running && changed) {
      process.kill(running, 'SIGTERM');
      const until = Date.now() + 10_000;
      while ((await livePid(pidFile)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      this.log.info('PowerDNS stopped to load its new configuration');
    }
    if (!running || changed) {
      const pid = await this.exec.startDaemon(this.node.dns.pdnsServer, [`--config-dir=${spec.configDir}`, '--daemon=no', '--guardian=no', '--disable-syslog=yes', '--write-pid=no'],
        { logFile: path.join(this.layout.logDir, 'pdns.log') });
      await writeAtomic(pidFile, `${pid}\n`, 0o644);
      this.applied.clear();
      this.log.info({ pid }, 'PowerDNS started');
    }
    const api = new PowerDnsApi(spec.apiPort, spec.apiKey);
    const until = Date.now() + 20_000;
    for (;;) {
      try {
        await api.server();
        return api;
      } catch (e) {
        if (Date.now() > until || !(await livePid(pidFile))) {
          const log = ((await readIfExists(path.join(this.layout.logDir, 'pdns.log'))) ?? '').trim().split('\n').slice(-3).join(' | ');
          throw new Error(`PowerDNS is not answering on its API (${message(e)})${log ? `: ${log}` : ''}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Makes PowerDNS hold exactly the desired zones; returns the zones it refused (name → error). */
  private async syncZones(api: PowerDnsApi, zones: DesiredZone[], spec: PdnsSpec): Promise<Map<string, string>> {
    const errors = new Map<string, string>();
    const actual = new Map((await api.listZones()).map((z) => [z.name.replace(/\.$/, ''), z]));
    const wanted = new Set(zones.map((z) => z.name));
    let deleted = 0;
    for (const [name, z] of actual) {
      if (wanted.has(name) || z.account !== ACCOUNT) continue;
      await api.deleteZone(name).catch((e) => this.log.warn({ zone: name, err: e }, 'zone not deleted'));
      this.applied.delete(name);
      deleted++;
    }
    // what each zone needs: created, patched (against the content Abri left, or the zone read again), or nothing
    const plans: Plan[] = [];
    await inParallel(zones, PARALLEL_CHANGES, async (z) => {
      const hash = hashOf(z);
      const have = actual.get(z.name);
      const last = this.applied.get(z.name);
      // a zone to create again (deleted behind Abri's back) starts above its last serial: secondaries
      // that still hold it take a lower serial for an older zone and would keep their copy
      if (!have) return void plans.push({ zone: z, hash, create: true, serial: last?.serial ?? 0 });
      if (last && last.hash === hash && last.serial === have.serial) return; // as Abri left it
      try {
        const current = last && last.serial === have.serial ? last.rrsets : fromPdns((await api.zone(z.name)).rrsets);
        const changes = rrsetChanges(current, z.rrsets, have.serial);
        if (changes.length) plans.push({ zone: z, hash, changes, serial: have.serial });
        else this.applied.set(z.name, { hash, rrsets: z.rrsets, serial: have.serial });
      } catch (e) {
        this.applied.delete(z.name);
        errors.set(z.name, message(e));
      }
    });
    const bulk = await this.applyInBulk(plans, spec);
    let created = 0;
    let patched = bulk.size;
    let serialsUnknown = false;
    await inParallel(plans.filter((p) => !bulk.has(p.zone.name)), PARALLEL_CHANGES, async (p) => {
      try {
        // the serial PowerDNS gave a created zone is in its answer; a patched one's is read below
        let serial: number | null = null;
        if (p.create) {
          serial = (await api.createZone(p.zone.name, p.zone.rrsets.map((r) => toPdns(r, p.serial)), ACCOUNT)).serial ?? null;
          created++;
        } else {
          await api.patchZone(p.zone.name, p.changes!);
          patched++;
        }
        this.applied.set(p.zone.name, { hash: p.hash, rrsets: p.zone.rrsets, serial });
        if (serial === null) serialsUnknown = true;
      } catch (e) {
        this.applied.delete(p.zone.name);
        errors.set(p.zone.name, message(e));
      }
    });
    if (serialsUnknown) {
      // the serials PowerDNS gave the changed zones: a later difference means someone else changed them
      for (const z of await api.listZones()) {
        const a = this.applied.get(z.name.replace(/\.$/, ''));
        if (a && a.serial === null) a.serial = z.serial;
      }
    }
    if (created || patched || deleted) this.log.info({ created, patched, inBulk: bulk.size, deleted }, 'PowerDNS zones updated');
    return errors;
  }

  /**
   * Many zones changing the same simple way (a renumbering): their A/AAAA/TXT rrsets are written in
   * one transaction into PowerDNS's database, their serials raised, PowerDNS's caches purged, the
   * secondaries notified by the agent (apply-dns-bulk.ts). Returns the zones done (the rest go through the API).
   */
  private async applyInBulk(plans: Plan[], spec: PdnsSpec): Promise<Map<string, number>> {
    const threshold = this.node.dns.bulkZones;
    const patches = plans.filter((p) => p.changes);
    if (!threshold || patches.length < threshold) return new Map();
    const change = (p: Plan) => ({ zone: p.zone.name, serial: p.serial!, soa: p.zone.rrsets.find((r) => r.type === 'SOA')?.records[0] ?? '', changes: p.changes! });
    const now = new Date();
    // a zone the bulk script cannot carry goes through the API (PowerDNS judges it there), not the others
    const chosen = patches.filter((p) => {
      if (!bulkable(p.changes!)) return false;
      try {
        renderBulkSql([change(p)], now);
        return true;
      } catch (e) {
        this.log.warn({ zone: p.zone.name, err: e }, 'zone change not written in bulk; it goes through the API');
        return false;
      }
    });
    if (!chosen.length) return new Map();
    const serials = await this.bulk.write(spec, chosen.map(change), now);
    if (!serials) return new Map();
    for (const p of chosen) this.applied.set(p.zone.name, { hash: p.hash, rrsets: p.zone.rrsets, serial: serials.get(p.zone.name)! });
    this.log.info({ zones: chosen.length }, 'PowerDNS zones changed in bulk');
    return serials;
  }
}
