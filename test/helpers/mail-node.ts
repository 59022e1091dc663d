// A mail server for tests and benchmarks (root): a manager, a mail server registered on it, and that
// server's agent in this process running Abri's own Postfix and Dovecot on the given loopback ports
// (never the machine's 25 or 143), with swaks to send and Python's imaplib to read. Stop() has the
// driver stop Postfix and Dovecot (no mail domain wanted any more) and removes the temp root. Built
// on test/helpers/mail.ts; Dovecot keeps its default slow-down of refused sign-ins here.
import assert from 'node:assert/strict';
import type { TestManager } from './manager.js';
import { live, readMail, run, startMailServer, type Run } from './mail.js';
import type { RawSettings } from '../../src/platform/config-values.js';
import { MAIL_PORTS } from '../../src/platform/config-mail.js';

export { missingMailTools, run, type Run } from './mail.js';

export interface MailNode {
  m: TestManager;
  root: string;
  serverId: string;
  ports: Record<(typeof MAIL_PORTS)[number], number>;
  /** a message through the SMTP port (swaks); extra swaks arguments */
  smtp(from: string, to: string, extra?: string[]): Promise<Run>;
  /** the INBOX's messages, read over IMAPS */
  inbox(user: string, password: string): Promise<{ messages?: string[]; error?: string }>;
  /** until the object reports live (an error fails) */
  live(kind: 'mailboxes' | 'mail-domains' | 'mail-aliases', id: string): Promise<void>;
  /** stops the agent only: Postfix and Dovecot go on with what they have (a benchmark's floor writes their files itself) */
  stopAgent(): Promise<void>;
  stop(): Promise<void>;
}

/** Ports: nine consecutive from `firstPort` (smtp, submission, smtps, imap, imaps, pop3, pop3s, sieve, replies). */
export async function startMailNode(opts: { firstPort: number; hostname: string; settings?: RawSettings; agentSettings?: RawSettings; agentLog?: string }): Promise<MailNode> {
  const ports = Object.fromEntries(MAIL_PORTS.map((n, i) => [n, opts.firstPort + i])) as MailNode['ports'];
  const settings = { ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_PORTS: MAIL_PORTS.map((n) => `${n}=${ports[n]}`).join(','), ABRI_MAIL_HOSTNAME: opts.hostname, ABRI_MAIL_RELAYHOST: '[127.0.0.1]:9' };
  const s = await startMailServer({ tag: 'mail-node', serverName: opts.hostname, settings, managerSettings: opts.settings, agentSettings: opts.agentSettings, logLevel: opts.agentLog });
  return {
    m: s.m, root: s.root, serverId: s.serverId, ports,
    smtp: (from, to, extra = []) => run('swaks', ['--server', '127.0.0.1', '--port', String(ports.smtp), '--helo', 'client.abri.test', '--timeout', '60', '--from', from, '--to', to, ...extra]),
    inbox: (user, password) => readMail('imap', ports.imaps, user, password),
    async live(kind, id) {
      await live(s.m, kind, id);
    },
    stopAgent: s.stopAgent,
    stop: s.stop,
  };
}

/** Asserts an API answer's status, showing its body when it differs. */
export function expectStatus(r: { status: number; body: unknown }, status: number): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
}
