// The mail driver of a mail server: Abri's own Postfix and Dovecot (apply-mail-service.ts) kept
// equal to the desired domains, mailboxes and aliases. A value that cannot be served (a malformed
// address, hash or uid, a mailbox of a domain in error) leaves that object out, reported on it alone:
// everybody else's mail goes on. The configs are written with applyFileSet (journaled, atomic),
// checked by the real tools and rolled back when refused: the running services keep the previous
// configuration, and are reloaded gracefully only on a change.
import type { Logger } from 'pino';
import os from 'node:os';
import path from 'node:path';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { applyFileSet } from '../platform/files.js';
import { detailOf, invalid, objectState, type Driver, type DriverResult } from '../node/driver.js';
import type { NodeLayout } from '../node/layout.js';
import type { DesiredMailAlias, DesiredMailbox, DesiredState, ObjectProblem, ObjectUsage } from '../node/protocol.js';
import { isSha512Crypt } from '../files/sha512-crypt.js';
import { ensureCertificate, type FetchCertificate } from '../files/apply-ftp-service.js';
import { isDestination, isMailAddress, isMailDomain } from './rules.js';
import { renderPostfix, type MailNodeSpec } from './render-postfix.js';
import { MIN_MAIL_UID, renderDovecot } from './render-dovecot.js';
import { MAX_APP_PASSWORDS } from './model-app-passwords.js';
import { renderQuotaWarning } from './render-quota-warning.js';
import { ensureHostingVmail, ensureMailDirs, mailPaths, MailServices } from './apply-mail-service.js';
import { AutoconfigListener } from './apply-autoconfig.js';
import { milterSocket } from './render-rspamd.js';
import { rspamdPaths, RspamdService, type DkimKey } from './apply-rspamd.js';
import { isPrivateKeyPem, SELECTOR } from './rules-dkim.js';
import { SieveScripts, withAliases, withRenderableVacation } from './apply-sieve.js';
import { isCatchAll } from './render-mail-limits.js';
import { RatePolicy } from './apply-mail-rate.js';
import { purgeHostingsMail } from './apply-mail-purge.js';
import { lostAccess } from './apply-mail-sessions.js';
import { ensureQuotaWarningDir, ensureQuotaWarningUser, quotaWarningDir } from './apply-quota-warning.js';
import { actOnHeld, HeldCounts, limitPaths, mailHeldArgs, notServedHere, SrsService } from './apply-mail-held.js';

type MailCertificate = { id: string; fingerprint: string } | null;
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
const HOSTING = /^[a-z_][a-z0-9_-]{0,31}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mailboxProblem(b: DesiredMailbox, domains: Set<string>): ObjectProblem | null {
  if (!isMailAddress(b.address)) return invalid('mailbox address', b.address, 'not an address Abri makes (a-z, 0-9 and single . _ - between them, @ a mail domain)');
  if (!domains.has(domainOf(b.address))) return { code: 'mail.domain_not_ready', params: { domain: domainOf(b.address) }, message: `the domain of ${b.address} is not served on this mail server` };
  if (!isSha512Crypt(b.passwordHash)) return invalid('password hash', b.address, 'not a SHA-512 crypt string');
  if ((b.appPasswords ?? []).length > MAX_APP_PASSWORDS || !(b.appPasswords ?? []).every(isSha512Crypt)) return invalid('app passwords', b.address, `at most ${MAX_APP_PASSWORDS} SHA-512 crypt strings`);
  if (!Number.isInteger(b.uid) || b.uid < MIN_MAIL_UID) return invalid('uid', String(b.uid), 'not a hosting uid');
  if (!HOSTING.test(b.hosting)) return invalid('hosting name', b.hosting, 'not a hosting name');
  if (!UUID.test(b.id)) return invalid('mailbox id', b.id, 'not an id');
  if (!Number.isInteger(b.quotaMb) || b.quotaMb < 1 || b.quotaMb > 100_000_000) return invalid('quota (MB)', String(b.quotaMb), 'not a quota');
  return null;
}

function aliasProblem(a: DesiredMailAlias, domains: Set<string>, mailboxes: Set<string>): ObjectProblem | null {
  if (!isMailAddress(a.address) && !isCatchAll(a.address)) return invalid('alias address', a.address, 'not an address Abri makes');
  if (!domains.has(domainOf(a.address))) return { code: 'mail.domain_not_ready', params: { domain: domainOf(a.address) }, message: `the domain of ${a.address} is not served on this mail server` };
  if (mailboxes.has(a.address)) return { code: 'object.conflict', params: { what: 'address', value: a.address }, message: `${a.address} is also a mailbox` };
  const bad = a.destinations.find((d) => !isDestination(d));
  if (bad !== undefined || !a.destinations.length) return invalid('alias destination', bad ?? '', 'not an email address');
  return null;
}

export class MailDriver implements Driver {
  readonly name = 'mail';
  private readonly limits: ReturnType<typeof limitPaths>;
  private readonly rate: RatePolicy;
  private readonly srs: SrsService | null;
  /** the held messages of each sender, read from the queue only when they may have changed */
  readonly held: HeldCounts;

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
    /** fetches this server's certificate (PEM) from the manager */
    private readonly fetchCertificate: FetchCertificate | null = null,
    clock: Clock = systemClock,
  ) {
    this.held = new HeldCounts(exec, mailPaths(layout.root).postfixDir, clock);
    this.limits = limitPaths(layout.root);
    this.rate = new RatePolicy(this.limits.ratePolicy, this.limits.rateState, log);
    this.srs = node.mail.srs && new SrsService(exec, this.limits.srsDir, node.mail.srs.postsrsd);
    this.autoconfig = new AutoconfigListener(log);
  }

  /** answers mail clients' autoconfig/autodiscover (apply-autoconfig.ts) */
  private readonly autoconfig: AutoconfigListener;
  private clientHost: string | null = null;
  private autoconfigPorts: NodeSettings['mail']['autoconfig'] = { http: null, https: null };

  /** Lets go of what the driver serves itself (the rate policy's socket, the autoconfig listener); Postfix and Dovecot go on. */
  async close(): Promise<void> {
    await this.rate.stop();
    await this.autoconfig.close();
  }

  /** The "mail-held" query: lists, releases or deletes the held mail of one of this server's mailboxes (releasing forgets its count). */
  async heldQuery(args: unknown, ctx: { state: DesiredState | null }) {
    const a = mailHeldArgs.parse(args);
    if (!ctx.state?.mail?.mailboxes.some((b) => b.address === a.address)) throw notServedHere(a.address);
    const messages = await actOnHeld(this.exec, mailPaths(this.layout.root).postfixDir, a);
    if (a.action !== 'list') {
      this.held.stale();
      await this.rate.reset(a.address);
    }
    return { messages };
  }

  handles(state: DesiredState) {
    return !!state.mail;
  }

  private services() {
    return new MailServices(this.exec, this.node.mail.postfix, this.node.mail.dovecot, mailPaths(this.layout.root));
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const want = state.mail!;
    this.clientHost = want.host ?? null;
    // on a server that is also the edge, HAProxy's ports stay HAProxy's
    const edgePorts = state.server.roles.includes('edge') ? [this.node.edge.httpPort, this.node.edge.httpsPort] : [];
    const ac = this.node.mail.autoconfig;
    this.autoconfigPorts = { http: ac.http !== null && edgePorts.includes(ac.http) ? null : ac.http, https: ac.https !== null && edgePorts.includes(ac.https) ? null : ac.https };
    const problems = new Map<string, ObjectProblem>();
    const domains = want.domains.filter((d) => {
      const problem = isMailDomain(d.name) && HOSTING.test(d.hosting) ? null : invalid('mail domain', d.name, 'not a normalised domain name');
      if (problem) problems.set(d.id, problem);
      return !problem;
    });
    const served = new Set(domains.map((d) => d.name));
    // a domain whose key cannot be used is still served, its mail unsigned, reported on it alone
    const dkim = domains.flatMap((d): DkimKey[] => {
      if (!d.dkim) return [];
      if (SELECTOR.test(d.dkim.selector) && isPrivateKeyPem(d.dkim.privateKey)) return [{ domain: d.name, selector: d.dkim.selector, pem: d.dkim.privateKey, id: d.id }];
      problems.set(d.id, invalid('DKIM key', d.dkim.selector, 'not a selector and PKCS#8 key Abri makes'));
      return [];
    });
    // a terminated hosting's domains refuse mail (render-mail-ended.ts); its mailboxes and aliases are left out, their mail kept until the purge
    const ended = new Set(domains.filter((d) => d.terminated).map((d) => d.name));
    const mailboxes = want.mailboxes.filter((b) => {
      const problem = mailboxProblem(b, served);
      if (problem) problems.set(b.id, problem);
      return !problem && !ended.has(domainOf(b.address));
    }).map((b) => withRenderableVacation(b, problems));
    const addresses = new Set(mailboxes.map((b) => b.address));
    const aliases = want.aliases.filter((a) => {
      const problem = aliasProblem(a, served, addresses);
      if (problem) problems.set(a.id, problem);
      return !problem && !ended.has(domainOf(a.address));
    });
    const report = (ok: 'live' | 'rendered') => [
      ...want.domains.map((d) => objectState('mail-domain', d.id, ok, problems.get(d.id))),
      ...want.mailboxes.map((b) => objectState('mailbox', b.id, ok, problems.get(b.id))),
      ...want.aliases.map((a) => objectState('mail-alias', a.id, ok, problems.get(a.id))),
      ...(want.certificate ? [objectState('certificate', want.certificate.id, ok, problems.get(want.certificate.id))] : []),
    ];
    const s = this.node.mail;
    const spec: MailNodeSpec = {
      paths: mailPaths(this.layout.root), hostname: s.hostname || os.hostname().toLowerCase(), bind: s.bind, ports: s.ports, relayhost: s.relayhost,
      domains: domains.map((d) => d.name), ended: [...ended], mailboxes, aliases: aliases.map((a) => ({ address: a.address, destinations: a.destinations })),
      milter: s.rspamd ? milterSocket({ paths: rspamdPaths(this.layout.root) }) : null, quotaWarning: { dir: quotaWarningDir(this.layout.root), user: s.quotaWarning.user },
      overQuota: s.overQuota, ratePolicy: this.limits.ratePolicy, loginDelay: s.loginDelay,
      srs: s.srs && { domain: s.hostname || os.hostname().toLowerCase(), forwardPort: s.srs.forwardPort, reversePort: s.srs.reversePort },
    };
    if (!this.node.apply) {
      await applyFileSet(spec.paths.postfixDir, renderPostfix(spec), []);
      await applyFileSet(spec.paths.dovecotDir, renderDovecot(spec), []);
      await applyFileSet(spec.quotaWarning.dir, this.quotaWarningFiles(spec), []);
      return { objects: report('rendered') };
    }
    try {
      this.rate.setLimits(new Map(mailboxes.map((b) => [b.address, { perHour: b.sendPerHour ?? Infinity, perDay: b.sendPerDay ?? Infinity }])));
      const usage = await this.apply(spec, problems, dkim, (want.purges ?? []).map((x) => x.hosting), want.certificate ?? null);
      const ids = new Map(mailboxes.map((b) => [b.address, b.id]));
      const held = await this.heldUsage(spec, mailboxes);
      return { objects: report('live'), usage: [...held, ...[...usage].flatMap(([address, bytes]): ObjectUsage[] => (ids.has(address) ? [{ kind: 'mailbox', id: ids.get(address)!, bytes }] : []))] };
    } catch (e) {
      const problem: ObjectProblem = { code: 'mail.refused', params: { detail: detailOf(e) }, message: `the mail server kept its previous configuration: ${detailOf(e)}` };
      for (const id of [...want.domains, ...want.mailboxes, ...want.aliases].map((o) => o.id)) if (!problems.has(id)) problems.set(id, problem);
      return { objects: report('live'), error: `mail: ${detailOf(e)}` };
    }
  }

  /** The 90 % quota warning's script and table (sent through this instance's Postfix, as its own user). */
  private quotaWarningFiles(spec: MailNodeSpec) {
    return renderQuotaWarning({ ...spec.quotaWarning, hostname: spec.hostname, repliesPort: spec.ports.replies, mailboxes: spec.mailboxes });
  }

  /** How many messages of each mailbox wait in the hold queue ("bytes" counts messages for the kind mailbox-held). */
  private async heldUsage(spec: MailNodeSpec, mailboxes: DesiredMailbox[]): Promise<ObjectUsage[]> {
    if (!spec.domains.length || !mailboxes.length) return (this.held.stale(), []);
    const held = await this.held.bySender(this.rate.holds);
    return mailboxes.map((b) => ({ kind: 'mailbox-held', id: b.id, bytes: held.get(b.address) ?? 0 }));
  }

  /** Writes, checks and serves; returns the usage of each mailbox (address → bytes). */
  private async apply(spec: MailNodeSpec, problems: Map<string, ObjectProblem>, dkim: DkimKey[], purges: string[], certificate: MailCertificate): Promise<Map<string, number>> {
    const p = mailPaths(this.layout.root);
    const services = this.services();
    const rspamd = this.node.mail.rspamd ? new RspamdService(this.exec, this.node.mail.rspamd, rspamdPaths(this.layout.root)) : null;
    // the mail of purged hostings goes once the services no longer take mail for them
    const purge = async () => {
      const purged = await purgeHostingsMail(p.vmailDir, purges);
      if (purged.length) this.log.info({ hostings: purged }, 'mail of purged hostings deleted');
    };
    // a mail server that never had mail runs no Postfix, Dovecot, rspamd or postsrsd of Abri's
    if (!spec.domains.length) {
      await services.stop();
      await this.autoconfig.close();
      await rspamd?.stop();
      await this.rate.stop();
      await this.srs?.stop();
      await purge();
      return new Map();
    }
    await ensureMailDirs(p);
    for (const hosting of new Map(spec.mailboxes.map((b) => [b.hosting, b.uid]))) {
      try {
        await ensureHostingVmail(p.vmailDir, ...hosting);
      } catch (e) {
        for (const b of spec.mailboxes.filter((x) => x.hosting === hosting[0])) problems.set(b.id, { code: 'mail.refused', params: { detail: detailOf(e) }, message: detailOf(e) });
        spec.mailboxes = spec.mailboxes.filter((x) => x.hosting !== hosting[0]);
      }
    }
    // the out-of-office replies (answering mail to the aliases of the mailbox too), compiled before the
    // userdb names them (a refused one keeps the previous script)
    const sieve = await new SieveScripts(this.exec, p.sieveDir, path.join(p.dovecotDir, 'dovecot.conf')).apply(withAliases(spec));
    for (const [id, why] of sieve.refused) problems.set(id, { code: 'mail.refused', params: { detail: why }, message: why });
    spec.mailboxes = spec.mailboxes.map((b) => (sieve.without.has(b.id) ? { ...b, vacation: null } : b));
    // the policy and SRS services Postfix asks, before it asks them
    await this.rate.start();
    // without postsrsd, mail goes on unrewritten (forwards may fail SPF) rather than not at all
    if (spec.srs) await this.srs?.ensure(spec.srs).catch((e: unknown) => {
      this.log.error({ err: e }, `postsrsd did not start, forwards leave without SRS: ${detailOf(e)}`);
      spec.srs = null;
    });
    await ensureQuotaWarningDir(spec.quotaWarning.dir, await ensureQuotaWarningUser(this.exec, this.node.mail.quotaWarning));
    await applyFileSet(spec.quotaWarning.dir, this.quotaWarningFiles(spec), []);
    await this.ensureCertificate(spec, certificate, problems);
    // Dovecot first: Postfix never hands it mail for a mailbox it does not know yet. A running
    // service reloads before the journal is dropped (an agent killed in between reloads next time).
    const dovecotFiles = renderDovecot(spec);
    const dovecotRunning = await services.dovecotRunning();
    const dovecot = await applyFileSet(p.dovecotDir, dovecotFiles, [], (changes) => services.checkDovecot(changes),
      dovecotRunning ? () => services.reloadDovecot() : undefined);
    // sessions outlive reloads: those of mailboxes whose credentials are gone or changed are ended
    const lost = lostAccess(dovecotFiles, dovecot.previous);
    if (lost.length && dovecotRunning) {
      await services.kick(lost).catch((e: unknown) => this.log.error({ err: e, users: lost }, `open sessions not ended: ${detailOf(e)}`));
    }
    if (rspamd) await this.applyRspamd(rspamd, dkim, problems);
    const postfix = await applyFileSet(p.postfixDir, renderPostfix(spec), [], (changes) => services.checkPostfix(changes),
      (await services.postfixRunning()) ? () => services.reloadPostfix() : undefined);
    await services.start();
    await this.autoconfig.update({ bind: spec.bind, ports: this.autoconfigPorts, certFile: p.certFile, host: this.clientHost ?? spec.hostname, mailPorts: spec.ports, domains: spec.domains });
    await purge();
    if (dovecot.changed.length || postfix.changed.length) this.log.info({ postfix: postfix.changed, dovecot: dovecot.changed }, 'mail configuration applied');
    return spec.mailboxes.length ? services.usage() : new Map();
  }

  /**
   * The certificate Postfix and Dovecot serve: this server's ACME certificate once issued (fetched,
   * checked with openssl, swapped atomically), else a self-signed one; one refused keeps the previous
   * (reported on the certificate). Its fingerprint goes into the configurations, whose change reloads both.
   */
  private async ensureCertificate(spec: MailNodeSpec, wanted: MailCertificate, problems: Map<string, ObjectProblem>): Promise<void> {
    const p = mailPaths(this.layout.root);
    const cert = await ensureCertificate(this.exec, p.certFile, p.certState, wanted, this.fetchCertificate, spec.hostname, 'the mail server');
    spec.certificate = cert.installed || null;
    if (!cert.error) return;
    this.log.warn({ error: cert.error }, 'mail certificate');
    if (wanted) problems.set(wanted.id, { code: 'mail.refused', params: { detail: cert.error }, message: cert.error });
  }

  /** rspamd before Postfix (its milter): when it refuses, it keeps its previous configuration and mail goes on (unsigned for new keys). */
  private async applyRspamd(rspamd: RspamdService, dkim: DkimKey[], problems: Map<string, ObjectProblem>): Promise<void> {
    try {
      const changed = await rspamd.apply({ paths: rspamdPaths(this.layout.root), nameservers: this.node.mail.rspamdNameservers, dkim }, dkim);
      if (changed.length) this.log.info({ rspamd: changed }, 'rspamd configuration applied');
    } catch (e) {
      this.log.warn({ error: detailOf(e) }, 'rspamd');
      const problem: ObjectProblem = { code: 'mail.refused', params: { detail: `rspamd: ${detailOf(e)}` }, message: `rspamd kept its previous configuration (mail may leave unsigned): ${detailOf(e)}` };
      for (const k of dkim) if (!problems.has(k.id)) problems.set(k.id, problem);
    }
  }
}
