// One ACME order: challenges published (HTTP-01 answered by the manager, DNS-01 as TXT records added
// to the owner's zones, waited for on the primary and every secondary), validated, finalised with a
// new key. The caller stores the certificate (the previous one keeps being served until then).
import acme from 'acme-client';
import type { Logger } from 'pino';
import type { AppContext } from '../platform/context.js';
import type { DnsAddress } from '../platform/config.js';
import { zonesChanged } from '../dns/store-zones.js';
import { primaryServers, resolverFor } from '../dns/check.js';
import { inspectCertificate, pemBlocks, type CertificateInfo } from './model.js';
import { deleteOrderChallenges, insertDnsChallenge, insertHttpChallenge } from './store-acme.js';
import type { NamePlan } from './precheck.js';

type Planned = Exclude<NamePlan, { method: null }>;

/** How long the DNS-01 records may take to reach every name server (a network wait, not a schedule). */
const DNS_WAIT_MS = 180_000;
/** How long a published challenge stays answerable (cleanup removes it afterwards). */
const CHALLENGE_TTL_MS = 3_600_000;

/** TXT values a server answers for a name: none when it has none; a failure is said so. */
async function txtOf(server: DnsAddress, name: string): Promise<string[] | string> {
  try {
    return (await resolverFor([server], 1500).resolveTxt(name)).map((parts) => parts.join(''));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENODATA' || code === 'ENOTFOUND' ? [] : `${code ?? (e as Error).message}`;
  }
}

/** Waits until every server answers every TXT value wanted (DNS-01 records reached the primary and the secondaries). */
async function waitForTxt(servers: DnsAddress[], records: Array<{ name: string; value: string }>) {
  const until = performance.now() + DNS_WAIT_MS;
  let missing = '';
  while (performance.now() < until) {
    missing = '';
    for (const s of servers) {
      for (const rec of records) {
        const txt = await txtOf(s, rec.name);
        if (typeof txt === 'string') missing = `${rec.name} TXT not answered by ${s.address}:${s.port} (${txt})`;
        else if (!txt.includes(rec.value)) missing = `${rec.name} TXT not yet answered by ${s.address}:${s.port}`;
      }
    }
    if (!missing) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`DNS-01: ${missing} after ${DNS_WAIT_MS / 1000} s`);
}

export interface Obtained {
  info: CertificateInfo;
  certPem: string;
  chainPem: string;
  keyPem: string;
}

export async function obtain(app: AppContext, client: acme.Client, certificateId: string, plans: Planned[], log: Logger): Promise<Obtained> {
  const { db, config } = app;
  const byName = new Map(plans.map((p) => [p.name, p]));
  const names = plans.map((p) => p.name);
  const dnsZones = new Set<string>();
  try {
    const order = await client.createOrder({ identifiers: names.map((value) => ({ type: 'dns', value })) });
    const authorizations = await client.getAuthorizations(order);
    const pending: Array<{ challenge: Parameters<acme.Client['completeChallenge']>[0]; authz: (typeof authorizations)[number] }> = [];
    const txt: Array<{ name: string; value: string }> = [];
    for (const authz of authorizations) {
      if (authz.status === 'valid') continue;
      const name = authz.wildcard ? `*.${authz.identifier.value}` : authz.identifier.value;
      const plan = byName.get(name);
      if (!plan) throw new Error(`the CA asked to validate ${name}, which was not ordered`);
      const challenge = authz.challenges.find((c) => c.type === plan.method);
      if (!challenge) throw new Error(`the CA offers no ${plan.method} challenge for ${name}`);
      const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
      const expiresAt = new Date(app.clock.now().getTime() + CHALLENGE_TTL_MS);
      if (plan.method === 'http-01') {
        await insertHttpChallenge(db, { token: (challenge as { token: string }).token, name, value: keyAuthorization, certificateId, expiresAt });
      } else {
        await insertDnsChallenge(db, { name: plan.record, value: keyAuthorization, zoneId: plan.zoneId, certificateId, expiresAt });
        dnsZones.add(plan.zoneId);
        txt.push({ name: plan.record, value: keyAuthorization });
      }
      pending.push({ challenge, authz });
    }
    if (dnsZones.size) {
      await zonesChanged(db, [...dnsZones], `ACME DNS-01 for ${names[0]}`);
      await waitForTxt([...(await primaryServers(db, config.dns)), ...config.dns.secondaries], txt);
    }
    for (const p of pending) await client.completeChallenge(p.challenge);
    for (const p of pending) await client.waitForValidStatus(p.authz);
    const [key, csr] = await acme.crypto.createCsr({ commonName: names.find((n) => !n.startsWith('*.')) ?? names[0], altNames: names }, await acme.crypto.createPrivateEcdsaKey('P-256'));
    const finalized = await client.finalizeOrder(order, csr);
    const pem = await client.getCertificate(finalized);
    const [leaf, ...chain] = pemBlocks(pem);
    if (!leaf) throw new Error('the CA sent no certificate');
    return { info: inspectCertificate(leaf), certPem: `${leaf}\n`, chainPem: chain.map((c) => `${c}\n`).join(''), keyPem: key.toString() };
  } finally {
    // challenges left behind (a failure here) expire and are removed by the cleanup job
    try {
      const zones = await deleteOrderChallenges(db, certificateId);
      if (zones.length) await zonesChanged(db, zones, `ACME DNS-01 done for ${names[0]}`);
    } catch (e) {
      log.warn({ err: e }, 'ACME challenges not cleaned up now (the cleanup job removes them once expired)');
    }
  }
}
