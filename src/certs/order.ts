// One ACME order: challenges published (HTTP-01 answered by the manager, DNS-01 as TXT records in the
// platform's zones, waited for on the primary and every secondary), validated, finalised with a new
// key, and the certificate stored (the previous one keeps being served until then).
import { sql } from 'kysely';
import acme from 'acme-client';
import type { Logger } from 'pino';
import type { AppContext } from '../platform/context.js';
import type { DnsAddress } from '../platform/config.js';
import { zonesChanged } from '../dns/store-zones.js';
import { primaryServers, resolverFor } from '../dns/check.js';
import { inspectCertificate, pemBlocks, renewalTime, retryDelayMs } from './model.js';
import { storeIssued, type CertificateRow } from './store.js';
import type { NamePlan } from './precheck.js';

type Planned = Exclude<NamePlan, { method: null }>;

const DNS_WAIT_MS = 180_000;

/** Waits until every server answers every TXT value wanted (DNS-01 records reached the primary and the secondaries). */
async function waitForTxt(servers: DnsAddress[], records: Array<{ name: string; value: string }>) {
  const until = Date.now() + DNS_WAIT_MS;
  let missing = '';
  while (Date.now() < until) {
    missing = '';
    for (const s of servers) {
      const r = resolverFor([s], 1500);
      for (const rec of records) {
        const txt = (await r.resolveTxt(rec.name).catch(() => [] as string[][])).map((parts) => parts.join(''));
        if (!txt.includes(rec.value)) missing = `${rec.name} TXT not yet answered by ${s.address}:${s.port}`;
      }
    }
    if (!missing) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`DNS-01: ${missing} after ${DNS_WAIT_MS / 1000} s`);
}

export async function obtain(app: AppContext, client: acme.Client, cert: CertificateRow, plans: Planned[], problems: Array<{ name: string; reason: string }>, log: Logger): Promise<void> {
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
      const expiresAt = new Date(Date.now() + 3_600_000);
      if (plan.method === 'http-01') {
        await db.insertInto('acmeChallenges').values({ kind: 'http-01', token: (challenge as { token: string }).token, name, value: keyAuthorization, certificateId: cert.id, expiresAt })
          .onConflict((oc) => oc.expression(sql`token`).where('token', 'is not', null).doUpdateSet({ value: keyAuthorization, expiresAt })).execute();
      } else {
        await db.insertInto('acmeChallenges').values({ kind: 'dns-01', name: plan.record, value: keyAuthorization, zoneId: plan.zoneId, certificateId: cert.id, expiresAt }).execute();
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
    const info = inspectCertificate(leaf);
    const renewAt = renewalTime(info.notBefore, info.notAfter, Math.random());
    await db.transaction().execute((trx) => storeIssued(trx, app.secrets(), cert.id, {
      info, certPem: `${leaf}\n`, chainPem: chain.map((c) => `${c}\n`).join(''), keyPem: key.toString(), source: 'acme', renewAt, problems,
      // names left out are looked at again on the failure schedule; else the next work is the renewal
      nextAttemptAt: problems.length ? new Date(Math.min(Date.now() + retryDelayMs(1), renewAt.getTime())) : renewAt,
      failures: problems.length ? 1 : 0,
    }));
  } finally {
    await db.deleteFrom('acmeChallenges').where('certificateId', '=', cert.id).where('kind', '!=', 'probe').execute()
      .catch((e) => log.warn({ err: e }, 'ACME challenges not cleaned up'));
    if (dnsZones.size) await zonesChanged(db, [...dnsZones], `ACME DNS-01 done for ${names[0]}`).catch(() => undefined);
  }
}
