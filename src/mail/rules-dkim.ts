// Pure rules of DKIM keys: selectors (abri<yyyymm>, then abri<yyyymm>-2, -3… when a domain rotates
// twice in a month), how long a retired key stays published, and what a key the mail server is given
// must look like (the agent refuses anything else, for that domain alone), and the view of a domain's keys.
import { dkimTxt } from '../dns/mail-records.js';

/** A selector Abri makes: a DNS label, lower-case. */
export const SELECTOR = /^[a-z][a-z0-9-]{0,62}$/;

/** How long a retired key stays in DNS: mail signed just before a rotation still verifies while it is delivered or read again. */
export const DKIM_RETIRED_DAYS = 7;
export const DKIM_RETIRED_MS = DKIM_RETIRED_DAYS * 86_400_000;

/** The first selector of the month not taken by the domain's keys (published or signing). */
export function nextSelector(now: Date, taken: string[]): string {
  const base = `abri${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Until when a key retired at `retiredAt` stays published. */
export const publishedUntil = (retiredAt: Date) => new Date(retiredAt.getTime() + DKIM_RETIRED_MS);

/** A PKCS#8 PEM private key as node:crypto writes it (what the mail server writes for rspamd, nothing else). */
export const isPrivateKeyPem = (pem: string) => /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]{100,4000}-----END PRIVATE KEY-----\n$/.test(pem);

const iso = (d: Date | string) => new Date(d).toISOString();

/** What a mail domain's answer shows of its keys (rows signing first, as dkimKeysOf gives them). */
export function dkimView(domain: string, rows: Array<{ selector: string; publicKey: string; createdAt: Date | string; retiredAt: Date | string | null }>) {
  const keys = [...rows].sort((a, b) => Number(a.retiredAt !== null) - Number(b.retiredAt !== null)).map((k) => ({
    selector: k.selector, signing: k.retiredAt === null, name: `${k.selector}._domainkey.${domain}`, content: dkimTxt(k.publicKey),
    createdAt: iso(k.createdAt), publishedUntil: k.retiredAt === null ? null : publishedUntil(new Date(k.retiredAt)).toISOString(),
  }));
  return { selector: keys.find((k) => k.signing)?.selector ?? null, keys };
}
