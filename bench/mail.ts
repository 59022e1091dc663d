// Mail benchmarks (root): a real Postfix and Dovecot run by the mail server's agent on loopback ports
// 25560–25566 (test/helpers/mail-node.ts), messages sent by bench/smtp-client.ts on 8 connections.
//  mail-delivery: N messages of about 4 KB accepted on port 25 and delivered to 10 mailboxes (every
//    file in their Maildirs), in messages per second. Floor, same run: the same messages handed
//    straight to Dovecot's LMTP socket (Postfix's last hop), stored when it answers; ratio = Abri's
//    rate / the floor's.
//  mailbox-provision: 1,000 mailboxes (10 domains) created through the API at 8 in flight, until
//    each received a message sent on port 25. Floor, same run (agent stopped): 1,000 other mailboxes
//    written straight into the files the services read (Dovecot's passdb and userdb, Postfix's
//    mailboxes and senders tables), both services reloaded, and the same 1,000 messages delivered.
import { randomUUID } from 'node:crypto';
import { appendFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedHosting } from '../test/helpers/manager.js';
import { missingMailTools, run, startMailNode, type MailNode } from '../test/helpers/mail-node.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';
import { mailboxHome } from '../src/mail/render-dovecot.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';
import { apiLoad } from './api-load.js';
import { message, sendSpread, type Message } from './smtp-client.js';
import type { Benchmark } from './run.js';

const round = (n: number) => Math.round(n * 1000) / 1000;
const seconds = (t0: number) => round((performance.now() - t0) / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CONNECTIONS = 8;

async function until(what: string, check: () => Promise<boolean>, timeoutS: number): Promise<void> {
  const end = performance.now() + timeoutS * 1000;
  while (performance.now() < end) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutS} s waiting for ${what}`);
}

/** Messages stored in every mailbox of the node (files in Maildir/new and cur). */
async function stored(node: MailNode): Promise<number> {
  const vmail = mailPaths(node.root).vmailDir;
  let n = 0;
  for (const hosting of await readdir(vmail)) {
    for (const box of await readdir(path.join(vmail, hosting))) {
      for (const sub of ['new', 'cur']) n += (await readdir(path.join(vmail, hosting, box, 'Maildir', sub)).catch(() => [])).length;
    }
  }
  return n;
}

async function withMailNode<T>(hostname: string, work: (node: MailNode) => Promise<T>): Promise<T> {
  const missing = missingMailTools();
  if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
  if (process.getuid?.() !== 0) throw new Error('the mail benchmarks run as root (Postfix, Dovecot, hostings\' uids)');
  const node = await startMailNode({ firstPort: 25560, hostname, settings: { ABRI_HOSTING_PREFIX: 'abm', ABRI_UID_MIN: '66950', ABRI_UID_MAX: '66999' } });
  try {
    return await work(node);
  } finally {
    await node.stop();
  }
}

/** A hosting with `domains` mail domains of its own; their ids and names. */
async function mailDomains(node: MailNode, label: string, domains: number, offer: Record<string, unknown>) {
  const { m } = node;
  const out: Array<{ id: string; name: string; hosting: string }> = [];
  const { hosting } = await seedHosting(m, { customer: `Bench ${label}`, offer });
  for (let i = 0; i < domains; i++) {
    const name = `mail${i}.${label}.bench.test`;
    const site = await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: name });
    if (site.status !== 201) throw new Error(`site: ${site.status} ${JSON.stringify(site.body)}`);
    const d = await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name });
    if (d.status !== 201) throw new Error(`mail domain: ${d.status} ${JSON.stringify(d.body)}`);
    out.push({ id: d.body.id, name, hosting: hosting.name });
  }
  return out;
}

export const mailDelivery: Benchmark = {
  name: 'mail-delivery',
  description: 'messages per second accepted on port 25 and delivered to 10 mailboxes, vs the same messages handed straight to Dovecot LMTP (floor)',
  run: (progress) => withMailNode('mail.delivery.bench.test', async (node) => {
    const N = Number(process.env.ABRI_BENCH_MAIL_MESSAGES ?? 2000);
    const [domain] = await mailDomains(node, 'delivery', 1, { maxMailboxes: 10, mailMb: 100_000 });
    const addresses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const b = await node.m.api('POST', `/api/v1/mail-domains/${domain!.id}/mailboxes`, { localPart: `box${i}`, quotaMb: 10_000 });
      addresses.push(b.body.address);
      await node.live('mailboxes', b.body.id);
    }
    const batch = (tag: string): Message[] => Array.from({ length: N }, (_, i) => message(`sender${i}@elsewhere.example`, addresses[i % addresses.length]!, i, 4000)).map((msg) => ({ ...msg, data: `X-Bench: ${tag}\n${msg.data}` }));
    // a first message each way: connections, processes and Maildirs are made before the clock starts
    await sendSpread({ host: '127.0.0.1', port: node.ports.smtp }, batch('warm').slice(0, 10), 1);
    await until('the warm-up delivered', async () => (await stored(node)) >= 10, 60);
    const lmtp = { path: path.join(mailPaths(node.root).baseDir, 'lmtp') };

    progress(`${N} messages through port 25`);
    let before = await stored(node);
    let t0 = performance.now();
    await sendSpread({ host: '127.0.0.1', port: node.ports.smtp }, batch('smtp'), CONNECTIONS);
    const acceptedSeconds = seconds(t0);
    await until('every message delivered', async () => (await stored(node)) >= before + N, 1800);
    const smtpSeconds = seconds(t0);

    progress(`${N} messages straight to Dovecot LMTP (floor)`);
    before = await stored(node);
    t0 = performance.now();
    await sendSpread(lmtp, batch('lmtp'), CONNECTIONS, true);
    await until('every message stored', async () => (await stored(node)) >= before + N, 1800);
    const lmtpSeconds = seconds(t0);
    const smtpRate = round(N / smtpSeconds);
    const lmtpRate = round(N / lmtpSeconds);
    return {
      messages: N, messageBytes: 4000, mailboxes: addresses.length, connections: CONNECTIONS,
      port25: { acceptedSeconds, deliveredSeconds: smtpSeconds, messagesPerSecond: smtpRate },
      floorLmtp: { deliveredSeconds: lmtpSeconds, messagesPerSecond: lmtpRate },
      ratio: round(lmtpRate / smtpRate),
    };
  }),
};

export const mailboxProvision: Benchmark = {
  name: 'mailbox-provision',
  description: '1,000 mailboxes created through the API until each received a message on port 25, vs the same entries written straight into the services\' files, reloaded and delivered to (floor)',
  run: (progress) => withMailNode('mail.provision.bench.test', async (node) => {
    const N = Number(process.env.ABRI_BENCH_MAILBOXES ?? 1000);
    const DOMAINS = 10;
    const { m } = node;
    const domains = await mailDomains(node, 'provision', DOMAINS, { maxSites: DOMAINS, maxMailboxes: N, mailMb: 2 * N });
    const revisionNow = async () => Number((await m.manager.app.db.selectFrom('revisions').select(({ fn }) => fn.max('id').as('id')).executeTakeFirstOrThrow()).id);
    const reached = async (revision: number) => {
      const s = (await m.api('GET', `/api/v1/servers/${node.serverId}`)).body;
      if (s.lastError) throw new Error(`the mail server reports: ${s.lastError}`);
      return Number(s.reachedRevision) >= revision;
    };
    await until('the mail server to apply its domains', async () => reached(await revisionNow()), 120);
    const deliverOne = async (addresses: string[], tag: string) => {
      const before = await stored(node);
      await sendSpread({ host: '127.0.0.1', port: node.ports.smtp }, addresses.map((a, i) => message('someone@elsewhere.example', a, i, 500)).map((x) => ({ ...x, data: `X-Bench: ${tag}\n${x.data}` })), CONNECTIONS);
      await until('each mailbox to receive its message', async () => (await stored(node)) >= before + addresses.length, 1800);
    };

    progress(`creating ${N} mailboxes through the API`);
    const t0 = performance.now();
    const api = await apiLoad(m.url, m.adminToken, { kind: 'mailbox', count: N, domainIds: domains.map((d) => d.id) }, CONNECTIONS, progress);
    const apiSeconds = seconds(t0);
    const last = await revisionNow();
    await until('the mail server to serve them all', () => reached(last), 1800);
    const appliedSeconds = seconds(t0);
    progress(`sending each a message`);
    await deliverOne(api.names, 'abri');
    const totalSeconds = seconds(t0);

    progress(`floor: ${N} other mailboxes written straight into the files, reloaded, delivered to`);
    await node.stopAgent();
    const p = mailPaths(node.root);
    const uid = Number((await m.manager.app.db.selectFrom('hostings').select('uid').where('name', '=', domains[0]!.hosting).executeTakeFirstOrThrow()).uid);
    const floorBoxes = Array.from({ length: N }, (_, i) => ({ address: `floor${i}@${domains[i % DOMAINS]!.name}`, id: randomUUID(), hash: sha512Crypt(`floor-${i}`) }));
    const f0 = performance.now();
    await appendFile(path.join(p.dovecotDir, 'userdb'), floorBoxes.map((b) => `${b.address}::${uid}:${uid}::${mailboxHome(p.vmailDir, domains[0]!.hosting, b.id)}::userdb_quota_rule=*:storage=1M\n`).join(''));
    await appendFile(path.join(p.dovecotDir, 'passdb'), floorBoxes.map((b) => `${b.address}:{SHA512-CRYPT}${b.hash}::::::\n`).join(''));
    await appendFile(path.join(p.postfixDir, 'mailboxes'), floorBoxes.map((b) => `${b.address} OK\n`).join(''));
    await appendFile(path.join(p.postfixDir, 'senders'), floorBoxes.map((b) => `${b.address} ${b.address}\n`).join(''));
    const conf = path.join(p.dovecotDir, 'dovecot.conf');
    for (const [cmd, args] of [['dovecot', ['-c', conf, 'reload']], ['postfix', ['-c', p.postfixDir, 'reload']]] as const) {
      const r = await run(cmd, [...args]);
      if (r.code !== 0) throw new Error(`${cmd} reload: ${r.stderr}`);
    }
    const floorWriteSeconds = seconds(f0);
    // a reload takes effect as the services' processes restart: the first address is tried until it is known
    await until('the reloaded Postfix to know the new mailboxes', async () => {
      try {
        await deliverOne([floorBoxes[0]!.address], 'probe');
        return true;
      } catch (e) {
        if (/RCPT .*5\d\d/.test((e as Error).message)) return false;
        throw e;
      }
    }, 120);
    await deliverOne(floorBoxes.slice(1).map((b) => b.address), 'floor');
    const floorSeconds = seconds(f0);
    return {
      mailboxes: N, domains: DOMAINS, inFlight: CONNECTIONS,
      api: { seconds: apiSeconds, requestsPerSecond: api.requestsPerSecond, p50Ms: api.p50Ms, p95Ms: api.p95Ms, maxMs: api.maxMs },
      appliedSeconds, totalSeconds,
      floor: { writeAndReloadSeconds: floorWriteSeconds, totalSeconds: floorSeconds },
      ratio: round(totalSeconds / floorSeconds),
    };
  }),
};
