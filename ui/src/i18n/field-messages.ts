// The API's per-field validation messages are English sentences; these patterns turn the known
// ones into catalog keys (with their numbers) so they show in the reader's language.
import type { MessageKey } from './catalog.js';

const patterns: Array<[RegExp, MessageKey, string[]]> = [
  [/^must not be empty$/, 'fieldError.required', []],
  [/^must be at least (\d+) characters$/, 'fieldError.tooShort', ['min']],
  [/^must be at most (\d+) characters$/, 'fieldError.tooLong', ['max']],
  [/^must not contain control characters( or line breaks)?$/, 'fieldError.controlChars', []],
  [/^must be an email address$/, 'fieldError.email', []],
  [/^must be a PHP version like 8\.2$/, 'fieldError.phpVersion', []],
  [/^allowed: (.*)$/, 'fieldError.allowedValues', ['values']],
  [/^must be an ISO 4217 code like EUR$/, 'fieldError.currency', []],
  [/^must be a domain name like example\.org/, 'fieldError.domainShape', []],
  [/^is not a valid domain name$/, 'fieldError.domainInvalid', []],
  [/^must have at least two labels/, 'fieldError.domainLabels', []],
  [/^has an invalid label "(.*)"/, 'fieldError.domainLabel', ['label']],
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
  [/^Too (small|big)/, 'fieldError.outOfRange', []],
  [/^Invalid input/, 'fieldError.invalid', []],
];

export function fieldMessage(message: string): { key: MessageKey; vars: Record<string, string> } | null {
  for (const [re, key, names] of patterns) {
    const m = re.exec(message);
    if (m) return { key, vars: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) };
  }
  return null;
}
