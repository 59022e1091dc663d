// A mail server's agent with its own Postfix and Dovecot on loopback ports, for integration tests
// (root): a manager, a mail server, the MailDriver applying for real, an SMTP sink standing for the
// world, and the clients (swaks, Python's imaplib/poplib). Shared by the tests of mail clients: a
// test gives its own ports, uid range and hosting prefix. Built on test/helpers/mail.ts.
import type { TestManager } from './manager.js';
import { live, readMail, smtpSink, startMailServer } from './mail.js';
import type { MailDriver } from '../../src/mail/apply-mail.js';
import type { MailPorts } from '../../src/platform/config-mail.js';

export { auth, missingMailTools, run, smtp, type Run } from './mail.js';

export interface MailAgent {
  m: TestManager;
  root: string;
  serverId: string;
  driver: MailDriver;
  /** every program the driver ran, in order: its name, then its arguments */
  ran: string[][];
  /** what the sink (the world) received, line by line */
  relayed: string[];
  /** Python's imaplib (IMAPS: the messages' text) or poplib (POP3 + STARTTLS: whole messages): the INBOX's bodies, or the error */
  read(proto: 'imap' | 'pop3', user: string, password: string): Promise<{ bodies?: string[]; error?: string }>;
  live(kind: 'mailboxes' | 'mail-domains' | 'mail-aliases', id: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startMailAgent(o: { name: string; ports: MailPorts; sink: number; prefix: string; uids: [number, number]; settings?: Record<string, string> }): Promise<MailAgent> {
  const sink = smtpSink(o.sink);
  const settings = {
    ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_PORTS: Object.entries(o.ports).map(([k, v]) => `${k}=${v}`).join(','), ABRI_MAIL_HOSTNAME: 'mail.abri.test',
    ABRI_MAIL_RELAYHOST: `[127.0.0.1]:${o.sink}`, ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_LOGIN_DELAY: 'none', ...o.settings,
  };
  const s = await startMailServer({ tag: o.name, serverName: 'mail-1', settings, managerSettings: { ABRI_HOSTING_PREFIX: o.prefix, ABRI_UID_MIN: String(o.uids[0]), ABRI_UID_MAX: String(o.uids[1]) } });
  return {
    m: s.m, root: s.root, serverId: s.serverId, driver: s.driver, ran: s.ran,
    get relayed() {
      return sink.messages.flatMap((msg) => msg.lines);
    },
    async read(proto, user, password) {
      const { messages, error } = await readMail(proto, proto === 'imap' ? o.ports.imaps : o.ports.pop3, user, password, { part: proto === 'imap' ? 'TEXT' : '' });
      return messages ? { bodies: messages } : { error };
    },
    live: (kind, id) => live(s.m, kind, id),
    async close() {
      await s.stop();
      sink.close();
    },
  };
}
