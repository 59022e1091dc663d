// Messages the manager and agents write in English about provisioning, name servers and
// certificates: the known ones are shown in the reader's language; others (a tool's own error
// output, a certificate authority's answer) are shown as they are.
import type { I18n } from './i18n.js';
import type { MessageKey } from './catalog.js';

type Known = Array<[RegExp, MessageKey, string[]?]>;

const known: Known = [
  [/^no web server: /, 'provisioning.noWebServer'],
  [/^render-only node: /, 'provisioning.renderOnlyNode'],
  [/^no DNS server: /, 'provisioning.noDnsServer'],
  [/^the domain's DNS is hosted elsewhere$/, 'provisioning.dnsElsewhere'],
];

function translated(message: string, table: Known, i18n: Pick<I18n, 't'>): string | null {
  for (const [re, key, names = []] of table) {
    const m = re.exec(message);
    if (m) return i18n.t(key, Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])));
  }
  return null;
}

export function agentMessage(message: string, i18n: Pick<I18n, 't'>): string {
  return translated(message, known, i18n) ?? message;
}

/** What a name server answered when asked for a zone's SOA (src/dns/check.ts). */
const nameserverMessages: Known = [
  [/^does not serve this zone$/, 'nsCheck.notServed'],
  [/^serial (\d+) is behind the primary's (\d+)$/, 'nsCheck.behind', ['serial', 'primary']],
];

export function nameserverMessage(message: string, i18n: Pick<I18n, 't'>): string {
  return translated(message, nameserverMessages, i18n) ?? message;
}

/** Why the platform could not get a certificate for a name, or its last error (src/certs/precheck.ts, routes.ts). */
const certificateMessages: Known = [
  [/^certificates are not ordered on this platform/, 'certMessage.acmeDisabled'],
  [/^no name can be validated: /, 'certMessage.noNameValidated'],
  [/^(\S+) does not resolve \(no A or AAAA record\)$/, 'certMessage.noAddress', ['name']],
  [/^(\S+) points to (.+), not to the platform \((.*)\)$/, 'certMessage.elsewhere', ['name', 'found', 'edges']],
  [/^a probe sent to http:\/\/(\S+)\/\.well-known\/acme-challenge\/ did not come back through the platform \(HTTP (\d+)\)$/, 'certMessage.probe', ['name', 'status']],
  [/^http:\/\/(\S+)\/ cannot be reached on port (\d+): (.*)$/, 'certMessage.unreachable', ['name', 'port', 'detail']],
  [/^its DNS is not published by the platform \(no zone here holds (\S+)\)$/, 'certMessage.noZone', ['record']],
  [/^the zone (\S+) is marked external/, 'certMessage.external', ['zone']],
  [/^the DNS of (\S+) is not answered by the platform's name servers yet \(is the domain delegated to (.+)\?\)$/, 'certMessage.notDelegated', ['zone', 'nameservers']],
];

/** A certificate's reason or last error; several reasons joined by "; " are translated one by one. */
export function certificateMessage(message: string, i18n: Pick<I18n, 't'>): string {
  const whole = translated(message, certificateMessages, i18n);
  if (whole) return whole;
  const parts = message.split('; ');
  if (parts.length < 2) return message;
  return parts.map((p) => translated(p, certificateMessages, i18n) ?? p).join(' ');
}
