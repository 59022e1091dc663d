// The API's per-field validation messages are English sentences; these patterns turn the known
// ones into catalog keys (with their numbers, names and dates) so they show in the reader's language.
// A variable named `x:number` or `x:date` is formatted for the reader (604800 → 604,800 / 604 800).
import type { MessageKey } from './catalog.js';
import type { Formatters } from './format.js';

type Pattern = [RegExp, MessageKey, string[]];

const general: Pattern[] = [
  [/^must not be empty$/, 'fieldError.required', []],
  [/^must be at least (\d+) characters$/, 'fieldError.tooShort', ['min']],
  [/^must be at most (\d+) characters$/, 'fieldError.tooLong', ['max']],
  [/^must not contain control characters( or line breaks)?$/, 'fieldError.controlChars', []],
  [/^must not contain line breaks or control characters$/, 'fieldError.controlChars', []],
  [/^must be an email address$/, 'fieldError.email', []],
  [/^must be a PHP version like 8\.2$/, 'fieldError.phpVersion', []],
  [/^allowed: (.*)$/, 'fieldError.allowedValues', ['values']],
  [/^must be an ISO 4217 code like EUR$/, 'fieldError.currency', []],
  [/^must be a domain name like example\.org/, 'fieldError.domainShape', []],
  [/^is not a valid domain name$/, 'fieldError.domainInvalid', []],
  [/^must have at least two labels/, 'fieldError.domainLabels', []],
  // a record's owner name may also hold underscores (_dmarc): its own sentence, before the domain's
  [/^has an invalid label "([^"]*)" \(letters, digits, inner hyphens, a leading underscore/, 'dnsError.ownerLabel', ['label']],
  [/^(?:host |target )?has an invalid label "([^"]*)"/, 'fieldError.domainLabel', ['label']],
  [/^must be a domain name, not an IP address$/, 'fieldError.domainIp', []],
  [/^(.+) is already used$/, 'fieldError.domainTaken', ['domain']],
  [/^must be relative to the hosting's var\/www\//, 'fieldError.docRootRelative', []],
  [/^must not contain empty, "\." or "\.\." segments$/, 'fieldError.docRootSegments', []],
  [/^segment "(.*)" may only use/, 'fieldError.docRootChars', ['segment']],
  [/^HTTPS is not included in the offer$/, 'fieldError.httpsNotInOffer', []],
  [/^wrong password$/, 'fieldError.wrongPassword', []],
  [/^no such customer$/, 'fieldError.noSuchCustomer', []],
  [/^no such offer$/, 'fieldError.noSuchOffer', []],
  [/^must be in the future$/, 'fieldError.future', []],
  [/^allow at least one PHP version$/, 'fieldError.onePhpVersion', []],
  [/^give the server at least one role$/, 'fieldError.oneRole', []],
  [/^must be an IPv4 or IPv6 address$/, 'fieldError.ipAddress', []],
  [/^must be letters, digits, dots and hyphens$/, 'fieldError.hostname', []],
  [/^must be the 6-digit code$/, 'fieldError.totp', []],
  [/^must be a number$/, 'fieldError.number', []],
  [/^passwords differ$/, 'fieldError.passwordsDiffer', []],
  [/^the platform has no platform domain$/, 'siteError.noPlatformDomain', []],
  [/^must be one DNS label/, 'siteError.platformLabel', []],
  [/^names under the platform domain come with platformSubdomain$/, 'siteError.platformNameField', []],
  [/^(\S+) belongs to another customer$/, 'siteError.zoneTaken', ['zone']],
];

/** DNS records: names, contents per type, TTL, and the rules of a name (see src/dns/records.ts, names.ts). */
const dns: Pattern[] = [
  [/^must be an IPv4 address/, 'dnsError.ipv4', []],
  [/^must be an IPv6 address/, 'dnsError.ipv6', []],
  [/^must be "PRIORITY HOST"/, 'dnsError.mx', []],
  [/^must be "PRIORITY WEIGHT PORT TARGET"/, 'dnsError.srv', []],
  [/^must be "FLAGS TAG VALUE"/, 'dnsError.caa', []],
  [/^tag must be issue, issuewild or iodef$/, 'dnsError.caaTag', []],
  [/^value must be one "quoted string"$/, 'dnsError.caaQuoted', []],
  [/^value must be printable ASCII/, 'dnsError.caaAscii', []],
  [/^an iodef value must be/, 'dnsError.caaIodef', []],
  [/^an issue value must be a CA domain/, 'dnsError.caaIssue', []],
  [/^text in quotes must be a list of "quoted strings"/, 'dnsError.txtQuotes', []],
  [/^has an unclosed quote$/, 'dnsError.txtUnclosed', []],
  [/^has a quoted string longer than 255 bytes/, 'dnsError.txtLong', []],
  [/^ends with a lone backslash$/, 'dnsError.txtBackslash', []],
  [/^\\(\d+) is not a byte$/, 'dnsError.txtByte', ['value']],
  [/^must be at most (\d+) bytes$/, 'dnsError.tooManyBytes', ['max:number']],
  [/^(?:host |target )?must be a full host name with at least two labels/, 'dnsError.hostFull', []],
  [/^(?:host |target )?must be a host name/, 'dnsError.hostName', []],
  [/^(?:host |target )?must be at most 253 characters/, 'dnsError.nameTooLong', []],
  [/^may only use letters, digits, hyphens, underscores, dots and a leading \*$/, 'dnsError.ownerChars', []],
  [/^has an empty or invalid label$/, 'dnsError.emptyLabel', []],
  [/^may only have \* as its first label$/, 'dnsError.wildcardFirst', []],
  [/^(?:is not|must be) in the zone (\S+)$/, 'dnsError.notInZone', ['zone']],
  [/^a CNAME cannot be at the apex/, 'dnsError.cnameApex', []],
  [/^a CNAME cannot point to its own name$/, 'dnsError.cnameSelf', []],
  [/^the name servers of the zone itself are managed by the platform/, 'dnsError.nsApex', []],
  [/^a sub-domain cannot be delegated to a wildcard$/, 'dnsError.nsWildcard', []],
  [/^an SRV name must start with _service\._protocol/, 'dnsError.srvName', []],
  [/^the platform keeps the (\S+) records of this name$/, 'dnsError.managedConflict', ['type']],
  [/^already exists$/, 'dnsError.exists', []],
  [/^(\S+) has a CNAME, which must be alone at its name \(there is also an? (\S+) record\)$/, 'dnsError.cnameAlone', ['name', 'type']],
  [/^(\S+) has more than one CNAME$/, 'dnsError.cnameTwice', ['name']],
  [/^must be at least (\d+) seconds$/, 'dnsError.ttlMin', ['min:number']],
  [/^must be at most (\d+) seconds/, 'dnsError.ttlMax', ['max:number']],
  [/^is too long$/, 'dnsError.tooLong', []],
  [/^must be text$/, 'fieldError.invalid', []],
];

/** Uploaded certificates (see src/certs/model.ts checkUpload). */
const certificates: Pattern[] = [
  [/^no PEM certificate \(-----BEGIN CERTIFICATE-----\) found$/, 'certError.noPem', []],
  [/^no PEM certificate found in the chain$/, 'certError.noPemChain', []],
  [/^the certificate cannot be read: (.*)$/, 'certError.unreadable', ['detail']],
  [/^a chain certificate cannot be read: (.*)$/, 'certError.chainUnreadable', ['detail']],
  [/^the private key does not match the certificate$/, 'certError.keyMismatch', []],
  [/^the private key cannot be read/, 'certError.keyUnreadable', []],
  [/^the certificate expired on (\S+)$/, 'certError.expired', ['when:date']],
  [/^the certificate is valid only from (\S+)$/, 'certError.notYetValid', ['when:date']],
  [/^the certificate does not cover (.+) \(it covers (.+)\)$/, 'certError.names', ['missing', 'covered']],
  [/^the (?:certificate|private key|chain) must not be empty$/, 'fieldError.required', []],
  [/^the (?:certificate|private key|chain) is too large$/, 'certError.tooLarge', []],
];

// zod's generic messages come last: the sentences above are more precise
const fallbacks: Pattern[] = [
  [/^Too (small|big)/, 'fieldError.outOfRange', []],
  [/^Invalid input/, 'fieldError.invalid', []],
];

const patterns: Pattern[] = [...general, ...dns, ...certificates, ...fallbacks];

export function fieldMessage(message: string, fmt?: Pick<Formatters, 'number' | 'date'>): { key: MessageKey; vars: Record<string, string> } | null {
  for (const [re, key, names] of patterns) {
    const m = re.exec(message);
    if (!m) continue;
    const vars: Record<string, string> = {};
    names.forEach((spec, i) => {
      const [name, kind] = spec.split(':');
      const raw = m[i + 1] ?? '';
      vars[name] = !fmt ? raw : kind === 'number' ? fmt.number(Number(raw)) : kind === 'date' ? fmt.date(raw) : raw;
    });
    return { key, vars };
  }
  return null;
}
