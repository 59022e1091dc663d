// Pure rendering of Abri's Dovecot on a mail server: dovecot.conf (its own base directory, its
// listeners on the configured address and ports, LMTP, SASL and quota-status sockets for Abri's
// Postfix only), the passdb (the mailboxes that may sign in, SHA-512 crypt strings) and the userdb
// (every mailbox: its hosting's uid, its home under the vmail area, its quota). Mail is stored as
// the hosting's uid, as its files are on the web server: one hosting's mail can never be opened by
// a process serving another (the kernel says no, not only Dovecot).
import type { RenderedFile } from '../platform/render.js';
import { renderError, safeInt, safePath, safeToken, safeUserName } from '../platform/render.js';
import { isSha512Crypt } from '../files/sha512-crypt.js';
import type { MailNodeSpec } from './render-postfix.js';
import { isMailAddress } from './rules.js';
import { MAX_APP_PASSWORDS } from './model-app-passwords.js';
import { QUOTA_WARNING_PERCENT, quotaWarningService } from './render-quota-warning.js';
import { renderVacationScript, sieveBeforeField, sieveConf } from './render-sieve.js';
import { overQuotaDovecot } from './render-mail-limits.js';
import { certificateNote } from './render-mail-cert.js';

const header = '# Rendered by Abri: changes here are overwritten.\n';
/** The lowest uid a mailbox may have: hosting uids are above; root and system accounts never. */
export const MIN_MAIL_UID = 1000;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a mailbox's mail lives: <vmail>/<hosting>/<mailbox id> (a new mailbox never finds an old one's mail). */
export const mailboxHome = (vmailDir: string, hosting: string, id: string) => `${vmailDir}/${hosting}/${id}`;

/**
 * App passwords: a passwd-file holds one line per user, so the n-th app password of every mailbox is
 * in app-passdb-<n>. A sign-in that fails one passdb goes on to the next (Dovecot's default
 * result_failure = continue): the mailbox's password or any of its app passwords signs in.
 */
const appPassdbs = (dir: string) => Array.from({ length: MAX_APP_PASSWORDS }, (_, i) => `passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%Lu ${dir}/app-passdb-${i + 1}
}
`).join('');

/**
 * ABRI_MAIL_LOGIN_DELAY=none (test machines): a refused sign-in is answered at once. By default
 * Dovecot waits auth_failure_delay (2 s) and its anvil process adds a penalty per client address
 * (4, 8, up to 15 s for repeated failures): both kept, nothing is rendered.
 */
const loginDelay = (spec: MailNodeSpec) => (spec.loginDelay !== 'none' ? '' : `auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`);

function conf(spec: MailNodeSpec): string {
  const { paths, ports } = spec;
  const bind = safeToken('listen address', spec.bind, /^[0-9a-fA-F.:]+$/);
  const dir = safePath('Dovecot directory', paths.dovecotDir);
  const cert = safePath('certificate', paths.certFile);
  const port = (name: keyof typeof ports) => safeInt(`${name} port`, ports[name], 1, 65535);
  const overQuota = overQuotaDovecot(spec);
  return `${header}base_dir = ${safePath('Dovecot base directory', paths.baseDir)}
instance_name = abri-dovecot
# a reload keeps open sessions: Dovecot 2.3 otherwise kills the old configuration's processes, IMAP
# sessions included, 6 s after each reload (Abri ends the sessions of mailboxes that lost access itself)
shutdown_clients = no
protocols = imap pop3 lmtp
listen = ${bind}
log_path = ${safePath('Dovecot log', paths.dovecotLog)}
ssl = yes
${certificateNote(spec).map(([k, v]) => `${k}${v}\n`).join('')}ssl_cert = <${cert}
ssl_key = <${cert}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
first_valid_uid = ${MIN_MAIL_UID}
first_valid_gid = ${MIN_MAIL_UID}
mail_location = maildir:~/Maildir
mail_plugins = quota
lmtp_rcpt_check_quota = yes${overQuota.tempfail ? '\nquota_full_tempfail = yes' : ''}
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%Lu ${dir}/passdb
}
${appPassdbs(dir)}userdb {
  driver = passwd-file
  args = username_format=%Lu ${dir}/userdb
}
protocol imap {
  mail_plugins = $mail_plugins imap_quota
}
protocol lmtp {
  mail_plugins = $mail_plugins sieve
  postmaster_address = postmaster@${safeToken('host name', spec.hostname, /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/)}
}
plugin {
  quota = maildir:User quota
  quota_grace = 10%%
  quota_status_success = DUNNO
  quota_status_nouser = DUNNO
  quota_status_overquota = "${overQuota.answer}"
  # the warning at ${QUOTA_WARNING_PERCENT} % (render-quota-warning.ts), once per crossing
  quota_warning = storage=${QUOTA_WARNING_PERCENT}%% quota-warning ${QUOTA_WARNING_PERCENT} %u
}
service imap-login {
  inet_listener imap {
    port = ${port('imap')}
  }
  inet_listener imaps {
    port = ${port('imaps')}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${port('pop3')}
  }
  inet_listener pop3s {
    port = ${port('pop3s')}
    ssl = yes
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
    user = postfix
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0600
    user = postfix
  }
}
${loginDelay(spec)}${quotaWarningService(spec.quotaWarning)}service quota-status {
  executable = quota-status -p postfix
  client_limit = 1
  unix_listener quota-status {
    mode = 0600
    user = postfix
  }
}
${sieveConf(ports)}`;
}

export function renderDovecot(spec: MailNodeSpec): RenderedFile[] {
  const vmail = safePath('vmail directory', spec.paths.vmailDir);
  const passdb: string[] = [];
  const apps: string[][] = Array.from({ length: MAX_APP_PASSWORDS }, () => []);
  const userdb: string[] = [];
  for (const b of [...spec.mailboxes].sort((x, y) => (x.address < y.address ? -1 : 1))) {
    if (!isMailAddress(b.address)) throw renderError('mailbox address', b.address, 'not an address Abri makes');
    if (!isSha512Crypt(b.passwordHash)) throw renderError('password hash', b.address, 'not a SHA-512 crypt string');
    if (!uuid.test(b.id)) throw renderError('mailbox id', b.id, 'not an id');
    const uid = safeInt('uid', b.uid, MIN_MAIL_UID, 2 ** 31 - 1);
    const quota = safeInt('quota (MB)', b.quotaMb, 1, 100_000_000);
    const home = mailboxHome(vmail, safeUserName('hosting name', b.hosting), b.id);
    // passwd-file: user:password:uid:gid:gecos:home:shell:extra fields
    // a mailbox with an out-of-office reply runs it before its own Sieve scripts (render-sieve.ts)
    if (b.vacation) renderVacationScript(b.vacation);
    const sieve = b.vacation ? ` ${sieveBeforeField(spec.paths.sieveDir, b.hosting, b.id)}` : '';
    userdb.push(`${b.address}::${uid}:${uid}::${home}::userdb_quota_rule=*:storage=${quota}M${sieve}`);
    if (b.active) passdb.push(`${b.address}:{SHA512-CRYPT}${b.passwordHash}::::::`);
    const appPasswords = b.appPasswords ?? [];
    if (appPasswords.length > MAX_APP_PASSWORDS) throw renderError('app passwords', b.address, `more than ${MAX_APP_PASSWORDS}`);
    appPasswords.forEach((hash, i) => {
      if (!isSha512Crypt(hash)) throw renderError('app password hash', b.address, 'not a SHA-512 crypt string');
      if (b.active) apps[i]!.push(`${b.address}:{SHA512-CRYPT}${hash}::::::`);
    });
  }
  return [
    { path: 'dovecot.conf', content: conf(spec), mode: 0o644 },
    // the password hashes: root and Dovecot's auth process only (the directory's setgid group is dovecot)
    { path: 'passdb', content: passdb.map((l) => `${l}\n`).join(''), mode: 0o640 },
    { path: 'userdb', content: userdb.map((l) => `${l}\n`).join(''), mode: 0o640 },
    ...apps.map((lines, i) => ({ path: `app-passdb-${i + 1}`, content: lines.map((l) => `${l}\n`).join(''), mode: 0o640 })),
  ];
}
