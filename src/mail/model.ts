// Mail domains, mailboxes and aliases of hostings: API schemas and answer shapes.
import { z } from 'zod';
import { hostName, password } from '../platform/validation.js';
import { CLIENT_MAIL_PORTS, type MailPorts } from '../platform/config-mail.js';
import { provisioningOut, type Provisioning } from '../servers/model.js';
import { isDestination, LOCAL_PART, MAX_LOCAL_PART } from './rules.js';

const localPart = z.string().trim().toLowerCase().min(1, 'must not be empty').max(MAX_LOCAL_PART, `must be at most ${MAX_LOCAL_PART} characters`)
  .regex(LOCAL_PART, 'must be lower-case letters (a-z) and digits, with single ".", "_" or "-" between them')
  .describe('what comes before the @: "contact" in the domain example.org makes contact@example.org');

export const mailDomainCreate = z.strictObject({
  name: hostName.describe('a site domain or alias of the hosting (IDNA-normalised): mail for it is received by the hosting\'s mail server'),
});

export const mailboxCreate = z.strictObject({
  localPart,
  quotaMb: z.number().int().min(1).max(100_000_000).describe('the space of the mailbox, in MB; the hosting\'s mailboxes together stay within the offer\'s mailMb'),
  password: password.optional().describe('the password to set; without it, one is generated and shown once in the answer'),
});

export const mailboxPatch = z.strictObject({
  quotaMb: mailboxCreate.shape.quotaMb.optional(),
  enabled: z.boolean().optional().describe('false: it can no longer sign in (IMAP, POP3, sending); it still receives mail'),
});

export const mailboxPassword = z.strictObject({
  password: password.optional().describe('the new password; without it, one is generated and shown once in the answer'),
});

export const mailAliasCreate = z.strictObject({
  localPart: z.union([z.literal('*').describe('the catch-all: mail for any address of the domain that is no mailbox or other alias'), localPart]),
  destinations: z.array(z.string().trim().toLowerCase().max(254).refine(isDestination, 'must be an email address like someone@example.org'))
    .min(1).max(50).describe('where mail to the alias goes (mailboxes of the platform or any address)'),
});

const iso = (d: Date | string) => new Date(d).toISOString();

/** Where mail clients connect: the hosting's mail server and the platform's mail ports. */
const serverOut = z.object({
  host: z.string().describe('the address of the hosting\'s mail server (IMAP, POP3, SMTP submission)'),
  ports: z.object(Object.fromEntries(CLIENT_MAIL_PORTS.map((p) => [p, z.number().int()])) as Record<(typeof CLIENT_MAIL_PORTS)[number], z.ZodNumber>)
    .describe('submission: STARTTLS, smtps: TLS, both with authentication; imap/pop3: STARTTLS, imaps/pop3s: TLS; sieve: ManageSieve (filters), STARTTLS'),
});

const dkimOut = z.object({
  selector: z.string().nullable().describe('the selector of the key that signs the domain\'s outgoing mail; null: none yet (a rotation makes one)'),
  keys: z.array(z.object({
    selector: z.string(),
    signing: z.boolean().describe('true: the key mail is signed with; false: a retired key, still published so mail signed with it verifies'),
    name: z.string().describe('the TXT record\'s name: <selector>._domainkey.<domain>'),
    content: z.string().describe('the TXT record\'s content (v=DKIM1; k=rsa; p=…)'),
    createdAt: z.string(),
    publishedUntil: z.string().nullable().describe('a retired key: when its record is removed'),
  })).describe('the DKIM keys published in DNS, the signing one first'),
}).describe('DKIM: the key the mail server signs with, and the public keys in DNS');

export const mailDomainOut = z.object({
  id: z.string(),
  name: z.string(),
  hostingId: z.string(),
  hostingName: z.string(),
  mailboxes: z.number().int(),
  aliases: z.number().int(),
  server: serverOut,
  dns: z.object({
    zone: z.string().nullable().describe('the zone of the platform holding the domain, if any'),
    managed: z.boolean().describe('true: the platform\'s name servers publish these records by themselves (read-only there); false: set them at the domain\'s DNS host'),
    records: z.array(z.object({ name: z.string(), type: z.string(), content: z.string() }))
      .describe('what the domain needs for mail: MX, SPF, DMARC, DKIM, autoconfig/autodiscover, SRV for mail clients'),
  }),
  dkim: dkimOut,
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const mailboxOut = z.object({
  id: z.string(),
  address: z.string().describe('the address, also the login name (IMAP, POP3, SMTP)'),
  localPart: z.string(),
  domainId: z.string(),
  domain: z.string(),
  hostingId: z.string(),
  hostingName: z.string(),
  quotaMb: z.number().int(),
  usedBytes: z.number().nullable().describe('what the mail server last measured (Dovecot\'s quota), null until then'),
  measuredAt: z.string().nullable(),
  enabled: z.boolean(),
  locked: z.boolean().describe('true while the hosting is not active: no sign-in, whatever enabled says'),
  sendingHeld: z.number().int().describe('messages of this mailbox held by the mail server (it sent more than its offer\'s mailSendPerHour or mailSendPerDay): staff release or delete them'),
  passwordChangedAt: z.string(),
  server: serverOut,
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const mailboxWithPassword = mailboxOut.extend({
  newPassword: z.string().optional().describe('the generated password, shown once, in this answer only: Abri keeps only its SHA-512 crypt hash'),
});

export const mailAliasOut = z.object({
  id: z.string(),
  address: z.string(),
  localPart: z.string(),
  domainId: z.string(),
  domain: z.string(),
  hostingId: z.string(),
  destinations: z.array(z.string()),
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** What mail rows carry of their hosting and server, for authorization and views. */
interface Owned { hostingId: string; hostingName: string; hostingStatus: string; customerId: string; serverId: string; serverName: string; serverAddresses: string[] | null }

export interface MailDomainRow extends Owned { id: string; name: string; mailboxes: number | string; aliases: number | string; revision: number | string; createdAt: Date | string; updatedAt: Date | string }
export interface MailboxRow extends Owned {
  id: string; domainId: string; domain: string; localPart: string; quotaMb: number; passwordHash: string; passwordChangedAt: Date | string; enabled: boolean;
  usedBytes: number | string | null; measuredAt: Date | string | null; heldMessages?: number; revision: number | string; createdAt: Date | string; updatedAt: Date | string;
}
export interface MailAliasRow extends Owned { id: string; domainId: string; domain: string; localPart: string; destinations: string[]; revision: number | string; createdAt: Date | string; updatedAt: Date | string }

export type MailPortsView = MailPorts;
const server = (r: Owned, ports: MailPortsView) => ({ host: r.serverAddresses?.[0] ?? r.serverName, ports: Object.fromEntries(CLIENT_MAIL_PORTS.map((p) => [p, ports[p]])) as z.infer<typeof serverOut>['ports'] });

export type MailDnsView = z.infer<typeof mailDomainOut>['dns'];
export type MailDkimView = z.infer<typeof dkimOut>;

export const mailDomainView = (d: MailDomainRow, ports: MailPortsView, dns: MailDnsView, dkim: MailDkimView, provisioning: Provisioning): z.infer<typeof mailDomainOut> => ({
  id: d.id, name: d.name, hostingId: d.hostingId, hostingName: d.hostingName, mailboxes: Number(d.mailboxes), aliases: Number(d.aliases),
  server: server(d, ports), dns, dkim, provisioning, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt),
});

export const mailboxView = (b: MailboxRow, ports: MailPortsView, provisioning: Provisioning): z.infer<typeof mailboxOut> => ({
  id: b.id, address: `${b.localPart}@${b.domain}`, localPart: b.localPart, domainId: b.domainId, domain: b.domain, hostingId: b.hostingId, hostingName: b.hostingName,
  quotaMb: b.quotaMb, usedBytes: b.usedBytes === null ? null : Number(b.usedBytes), measuredAt: b.measuredAt ? iso(b.measuredAt) : null,
  enabled: b.enabled, locked: b.hostingStatus !== 'active', sendingHeld: b.heldMessages ?? 0, passwordChangedAt: iso(b.passwordChangedAt), server: server(b, ports), provisioning,
  createdAt: iso(b.createdAt), updatedAt: iso(b.updatedAt),
});

export const mailAliasView = (a: MailAliasRow, provisioning: Provisioning): z.infer<typeof mailAliasOut> => ({
  id: a.id, address: `${a.localPart}@${a.domain}`, localPart: a.localPart, domainId: a.domainId, domain: a.domain, hostingId: a.hostingId,
  destinations: a.destinations, provisioning, createdAt: iso(a.createdAt), updatedAt: iso(a.updatedAt),
});
