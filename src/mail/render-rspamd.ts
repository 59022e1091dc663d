// Pure rendering of Abri's rspamd on a mail server (Postfix's milter): spam scores as headers
// (X-Spam-Status, X-Spamd-Bar…, "X-Spam: Yes" from 6 points), mail refused from 15 points (GTUBE
// among them), and DKIM signing of the mail of authenticated users and of the server itself, for
// the mail domains given with their key. Debian's defaults are read from $CONFDIR (/etc/rspamd);
// Abri's settings come from local.d of its own directory ($LOCAL_CONFDIR), never from the machine's
// /etc/rspamd/local.d: the machine's own rspamd (if any) is not touched. No Redis: greylisting is
// off, and so are the modules that need Redis (rate limits, Bayes, reputation: rspamd turns them
// off by itself without Redis servers). The scanner and the milter listen on unix sockets in a
// directory only rspamd's user and Postfix's group reach; no controller on the network.
import type { RenderedFile } from '../platform/render.js';
import { byKey, renderError, safePath, safeToken } from '../platform/render.js';
import { isMailDomain } from './rules.js';
import { SELECTOR } from './rules-dkim.js';

export interface RspamdSpec {
  paths: { rspamdDir: string; rspamdDbDir: string; rspamdRunDir: string; rspamdLogDir: string; dkimDir: string };
  /** DNS servers (ip or ip:port); [] = the system's */
  nameservers: string[];
  /** the domains whose mail is signed, with the selector of their key (the key file is dkimKeyFile()) */
  dkim: Array<{ domain: string; selector: string }>;
}

const header = '# Rendered by Abri: changes here are overwritten.\n';

/** Where a domain's key is, in the DKIM directory (written by the driver, readable by rspamd only). */
export const dkimKeyFile = (domain: string, selector: string) => `${domain}.${selector}.key`;

/** The milter's socket (Postfix's smtpd_milters). */
export const milterSocket = (spec: Pick<RspamdSpec, 'paths'>) => `${safePath('rspamd run directory', spec.paths.rspamdRunDir)}/milter.sock`;

/** rspamd's variables: Debian's files use them for the paths of the instance. */
export function rspamdVars(spec: Pick<RspamdSpec, 'paths'>): string[] {
  const p = spec.paths;
  return [
    `--var=LOCAL_CONFDIR=${safePath('rspamd directory', p.rspamdDir)}`, `--var=DBDIR=${safePath('rspamd data directory', p.rspamdDbDir)}`,
    `--var=RUNDIR=${safePath('rspamd run directory', p.rspamdRunDir)}`, `--var=LOGDIR=${safePath('rspamd log directory', p.rspamdLogDir)}`,
  ];
}

function mainConf(spec: RspamdSpec): string {
  const run = safePath('rspamd run directory', spec.paths.rspamdRunDir);
  return `${header}.include "$CONFDIR/common.conf"

options {
  pidfile = "${run}/rspamd.pid";
  .include "$CONFDIR/options.inc"
  .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/options.inc"
}

logging {
  type = "file";
  filename = "${safePath('rspamd log directory', spec.paths.rspamdLogDir)}/rspamd.log";
  level = "notice";
}

# the scanner, and the milter of Abri's Postfix in front of it (sockets in a directory only rspamd and Postfix reach)
worker "normal" {
  bind_socket = "${run}/normal.sock mode=0666";
  count = 1;
}

worker "rspamd_proxy" {
  bind_socket = "${milterSocket(spec)} mode=0666";
  milter = yes;
  upstream "local" {
    default = yes;
    hosts = "${run}/normal.sock";
  }
  timeout = 120s;
  count = 1;
  spam_header = "X-Spam";
  reject_message = "Spam message rejected";
  discard_on_reject = false;
  quarantine_on_reject = false;
}

# maps and periodic scripts need a controller: on a socket only root reaches
worker "controller" {
  bind_socket = "${run}/controller.sock mode=0600";
  count = 1;
}
`;
}

const ns = (n: string) => safeToken('DNS server', n, /^(?:[0-9.]+|\[[0-9a-fA-F:]+\]|[0-9a-fA-F:]+)(?::\d{1,5})?$/);

function dkimSigning(spec: RspamdSpec): string {
  const dir = safePath('DKIM key directory', spec.paths.dkimDir);
  const domains = [...spec.dkim].sort(byKey((d) => d.domain)).map((d) => [
    `  "${d.domain}" {`,
    `    selector = "${d.selector}";`,
    `    path = "${dir}/${dkimKeyFile(d.domain, d.selector)}";`,
    '  }',
  ].join('\n'));
  return `${header}# the mail of authenticated users and of the server itself, for the domains below only (the From domain)
enabled = true;
sign_authenticated = true;
sign_local = true;
sign_inbound = false;
use_domain = "header";
use_esld = false;
allow_username_mismatch = true;
allow_hdrfrom_mismatch = false;
try_fallback = false;
use_redis = false;
domain {
${domains.join('\n')}
}
`;
}

export function renderRspamd(spec: RspamdSpec): RenderedFile[] {
  for (const d of spec.dkim) {
    if (!isMailDomain(d.domain)) throw renderError('DKIM domain', d.domain, 'not a normalised domain name');
    if (!SELECTOR.test(d.selector)) throw renderError('DKIM selector', d.selector, 'not a selector Abri makes');
  }
  const file = (p: string, content: string): RenderedFile => ({ path: p, content, mode: 0o644 });
  return [
    file('rspamd.conf', mainConf(spec)),
    file('local.d/options.inc', `${header}${spec.nameservers.length ? `dns {\n  nameserver = [${spec.nameservers.map((n) => `"${ns(n)}"`).join(', ')}];\n}\n` : ''}`),
    // greylisting would hold first mail from new senders: off (and it needs Redis)
    file('local.d/actions.conf', `${header}reject = 15;\nadd_header = 6;\ngreylist = null;\n`),
    file('local.d/greylist.conf', `${header}enabled = false;\n`),
    file('local.d/milter_headers.conf', `${header}use = ["x-spamd-bar", "x-spam-level", "x-spam-status", "authentication-results", "x-rspamd-queue-id"];\n# received mail gets its scores; what customers send does not carry them\nskip_local = false;\nskip_authenticated = true;\n`),
    file('local.d/dkim_signing.conf', dkimSigning(spec)),
  ];
}
