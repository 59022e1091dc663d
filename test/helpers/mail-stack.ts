// A mail server for integration tests: a real manager, and a mail server's agent running Abri's own
// Postfix and Dovecot on loopback ports (never the machine's 25/143), with an SMTP sink standing for
// the world (Postfix's relay host) that keeps every message it receives; swaks sends, Python's
// imaplib reads. Used by test/agent-mail-sieve.test.ts; built on test/helpers/mail.ts.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { seedHosting, type TestManager } from './manager.js';
import { until } from './node.js';
import { live, readMail, run, smtp, smtpSink, startMailServer, type Run, type SunkMessage } from './mail.js';
import { mailPaths } from '../../src/mail/apply-mail-service.js';
import type { MailPorts } from '../../src/platform/config-mail.js';

export { run, type Run } from './mail.js';

export interface MailStack {
  m: TestManager;
  root: string;
  ports: MailPorts;
  sink: SunkMessage[];
  hostings: Record<string, { id: string; name: string; uid: number; customerId: string }>;
  /** a mailbox of a mail domain, live on the mail server */
  mailbox(domain: string, localPart: string, quotaMb?: number): Promise<{ id: string; address: string; password: string }>;
  /** swaks against a port of the mail server */
  smtp(port: number, from: string, to: string, extra?: string[]): Promise<Run>;
  /** a folder's messages (whole), over IMAPS */
  imap(user: string, password: string, folder?: string): Promise<{ messages?: string[]; error?: string }>;
  /** waits until Postfix has nothing left in its queue (every message delivered or bounced) */
  drained(): Promise<void>;
  /** how many messages Postfix handed to Dovecot for this address (LMTP, "status=sent") */
  delivered(address: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts a manager with one mail server, two hostings (customers Alpha and Bravo) each with mail.<k>-<tag>.example. */
export async function startMailStack(opts: { tag: string; ports: MailPorts; sink: number; uidMin: number; uidMax: number; prefix: string }): Promise<MailStack> {
  const sink = smtpSink(opts.sink);
  const settings = {
    ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_PORTS: Object.entries(opts.ports).map(([k, v]) => `${k}=${v}`).join(','),
    ABRI_MAIL_HOSTNAME: 'mail.abri.test', ABRI_MAIL_RELAYHOST: `[127.0.0.1]:${opts.sink}`, ABRI_MAIL_LOGIN_DELAY: 'none',
  };
  const hostings: MailStack['hostings'] = {};
  const s = await startMailServer({
    tag: opts.tag, serverName: 'mail-1', settings, managerSettings: { ABRI_HOSTING_PREFIX: opts.prefix, ABRI_UID_MIN: String(opts.uidMin), ABRI_UID_MAX: String(opts.uidMax) },
    async beforeAgent(m) {
      for (const [k, customer] of [['a', 'Alpha'], ['b', 'Bravo']] as const) {
        const h = (await seedHosting(m, { customer, offer: { maxMailboxes: 4, mailMb: 20 } })).hosting;
        hostings[k] = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body;
        const domain = `mail.${k}-${opts.tag}.example`;
        assert.equal((await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain })).status, 201);
        assert.equal((await m.api('POST', `/api/v1/hostings/${h.id}/mail-domains`, { name: domain })).status, 201);
      }
    },
  });
  const { m } = s;
  const paths = mailPaths(s.root);
  const postfixLog = async () => (await readFile(paths.postfixLog, 'utf8').catch(() => ''));
  return {
    m, root: s.root, ports: opts.ports, sink: sink.messages, hostings,
    async mailbox(domain, localPart, quotaMb = 5) {
      const password = `pw-${localPart}-${Math.random().toString(36).slice(2)}`;
      const r = await m.api('POST', `/api/v1/mail-domains/${domain}/mailboxes`, { localPart, quotaMb, password });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      await live(m, 'mailboxes', r.body.id);
      return { id: r.body.id, address: r.body.address, password };
    },
    smtp,
    imap: (user, password, folder = 'INBOX') => readMail('imap', opts.ports.imaps, user, password, { folder }),
    async drained() {
      await until('Postfix\'s queue empty', async () => /Mail queue is empty/.test((await run('postqueue', ['-c', paths.postfixDir, '-p'])).stdout));
    },
    async delivered(address) {
      return (await postfixLog()).split('\n').filter((l) => l.includes(`to=<${address}>`) && l.includes('status=sent')).length;
    },
    async close() {
      await s.stop();
      sink.close();
    },
  };
}
