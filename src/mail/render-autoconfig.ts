// Pure: what mail clients are told to set themselves up — Thunderbird's autoconfig
// (config-v1.1.xml) and Outlook's autodiscover (POX, outlook schema 2006a) — and which answer a
// request gets (the mail server's agent serves them, apply-autoconfig.ts). Every value written into
// the XML is escaped; a domain the server does not serve gets 404, never another domain's data.
import type { MailPorts } from '../platform/config-mail.js';
import { renderError, safeInt } from '../platform/render.js';
import { isMailDomain } from './rules.js';

/** What a client needs: the mail domain, the host its records point to, the platform's mail ports. */
export interface ClientSetup { domain: string; host: string; ports: MailPorts }

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** XML text or attribute value; control characters (never in a name or address) are refused. */
export function xmlEscape(value: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) throw renderError('XML value', value, 'contains a control character');
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const HOST = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$|^[0-9a-f.:]+$/;
function checked(s: ClientSetup) {
  if (!isMailDomain(s.domain)) throw renderError('mail domain', s.domain, 'not a normalised domain name');
  if (!HOST.test(s.host)) throw renderError('mail host', s.host, 'not a host name or address');
  const port = (name: keyof MailPorts) => safeInt(`${name} port`, s.ports[name], 1, 65535);
  return { domain: xmlEscape(s.domain), host: xmlEscape(s.host), port };
}

/** Thunderbird (and K-9, FairEmail…): https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=… */
export function renderThunderbird(s: ClientSetup): string {
  const { domain, host, port } = checked(s);
  const server = (tag: 'incomingServer' | 'outgoingServer', type: string, p: number, socket: 'SSL' | 'STARTTLS') => `    <${tag} type="${type}">
      <hostname>${host}</hostname>
      <port>${p}</port>
      <socketType>${socket}</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </${tag}>
`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="${domain}">
    <domain>${domain}</domain>
    <displayName>${domain}</displayName>
    <displayShortName>${domain}</displayShortName>
${server('incomingServer', 'imap', port('imaps'), 'SSL')}${server('incomingServer', 'imap', port('imap'), 'STARTTLS')}${server('incomingServer', 'pop3', port('pop3s'), 'SSL')}${server('incomingServer', 'pop3', port('pop3'), 'STARTTLS')}${server('outgoingServer', 'smtp', port('smtps'), 'SSL')}${server('outgoingServer', 'smtp', port('submission'), 'STARTTLS')}  </emailProvider>
</clientConfig>
`;
}

/** Outlook: POST https://autodiscover.<domain>/autodiscover/autodiscover.xml with the address; IMAP and SMTP over TLS. */
export function renderAutodiscover(s: ClientSetup, email: string): string {
  const { host, port } = checked(s);
  const login = xmlEscape(email);
  const protocol = (type: string, p: number, extra = '') => `      <Protocol>
        <Type>${type}</Type>
        <Server>${host}</Server>
        <Port>${p}</Port>
        <DomainRequired>off</DomainRequired>
        <LoginName>${login}</LoginName>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
${extra}      </Protocol>
`;
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>${login}</DisplayName>
    </User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
${protocol('IMAP', port('imaps'))}${protocol('POP3', port('pop3s'))}${protocol('SMTP', port('smtps'), '        <UsePOPAuth>on</UsePOPAuth>\n')}    </Account>
  </Response>
</Autodiscover>
`;
}

/** An address as a client sends it: something@domain, the domain lower-cased; null when it is not one. */
export function clientAddress(value: string | null | undefined): { email: string; domain: string } | null {
  const m = /^([^\s@<>&"'\u0000-\u001f\u007f]{1,64})@([A-Za-z0-9.-]{3,253})$/.exec((value ?? '').trim());
  if (!m) return null;
  const domain = m[2]!.toLowerCase();
  return isMailDomain(domain) ? { email: `${m[1]}@${domain}`, domain } : null;
}

export interface AutoconfigRequest { method: string; path: string; host: string; emailaddress: string | null; body: string }
export interface AutoconfigAnswer { status: number; type: string; body: string }

const THUNDERBIRD = new Set(['/mail/config-v1.1.xml', '/.well-known/autoconfig/mail/config-v1.1.xml']);
const notFound: AutoconfigAnswer = { status: 404, type: 'text/plain; charset=utf-8', body: 'no mail client settings here\n' };

/**
 * The answer to a client. The domain is the address's when one is given, else the one the host name
 * names (autoconfig.<domain>, autodiscover.<domain> or <domain>); a host name that names a served
 * domain must agree with the address. Anything the server does not serve is 404.
 */
export function autoconfigAnswer(req: AutoconfigRequest, served: (domain: string) => ClientSetup | null): AutoconfigAnswer {
  const path = req.path.toLowerCase();
  const hostName = req.host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const named = [hostName.replace(/^(autoconfig|autodiscover)\./, ''), hostName].find((d) => served(d) !== null) ?? null;
  const autodiscover = path === '/autodiscover/autodiscover.xml';
  if (!THUNDERBIRD.has(path) && !autodiscover) return notFound;
  if (autodiscover && req.method !== 'POST') return { ...notFound, status: 405, body: 'POST the autodiscover request\n' };
  const given = autodiscover ? /<EMailAddress>([^<]{1,320})<\/EMailAddress>/i.exec(req.body)?.[1] ?? null : req.emailaddress;
  const address = clientAddress(given);
  if ((given !== null || autodiscover) && !address) return { ...notFound, status: 400, body: 'not an email address\n' };
  const domain = address?.domain ?? named;
  if (!domain || (named && address && named !== address.domain)) return notFound;
  const setup = served(domain);
  if (!setup) return notFound;
  if (autodiscover) return { status: 200, type: 'application/xml; charset=utf-8', body: renderAutodiscover(setup, address!.email) };
  return { status: 200, type: 'application/xml; charset=utf-8', body: renderThunderbird(setup) };
}
