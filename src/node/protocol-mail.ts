// The mail part of the agent protocol (protocol.ts): what a mail server's desired state holds.
import { z } from 'zod';

/**
 * Mail of the hostings placed on a mail server (Abri's Postfix and Dovecot): its domains; its
 * mailboxes (address = login, SHA-512 crypt string, quota in MB, stored under the hosting's uid;
 * `active` false: it still receives mail but nobody signs in); its aliases (address → destinations).
 * Only this server's domains carry their DKIM private key.
 */
export const desiredMailDomain = z.object({
  id: z.string(),
  name: z.string(),
  hosting: z.string(),
  /** its hosting is terminated: mail to it is refused, its mailboxes and aliases are not served, their mail is kept until the purge */
  terminated: z.boolean().optional(),
  /** the key rspamd signs the domain's outgoing mail with (PKCS#8 PEM), under its selector; null: not signed */
  dkim: z.object({ selector: z.string(), privateKey: z.string() }).nullable().optional(),
});
export const desiredMailbox = z.object({
  id: z.string(),
  address: z.string(),
  hosting: z.string(),
  uid: z.number().int(),
  passwordHash: z.string(),
  quotaMb: z.number().int(),
  active: z.boolean(),
  /** the SHA-512 crypt strings of its app passwords (each signs in as the mailbox, like its password) */
  appPasswords: z.array(z.string()).optional(),
  /** the language of its hosting's customer (its owners'), null when unknown or mixed: the quota warning says both */
  locale: z.enum(['fr', 'en']).nullable().optional(),
  /** its out-of-office reply when switched on (render-sieve.ts makes it a Sieve script); dates YYYY-MM-DD, inclusive, UTC */
  vacation: z.object({ subject: z.string(), message: z.string(), startsOn: z.string().nullable(), endsOn: z.string().nullable() }).nullable().optional(),
  /** the offer's sending limits of authenticated mail (messages per hour, per day); past them mail is held */
  sendPerHour: z.number().int().optional(),
  sendPerDay: z.number().int().optional(),
});
export const desiredMailAlias = z.object({ id: z.string(), address: z.string(), destinations: z.array(z.string()) });


export type DesiredMailbox = z.infer<typeof desiredMailbox>;
export type DesiredMailAlias = z.infer<typeof desiredMailAlias>;
export type DesiredMailDomain = z.infer<typeof desiredMailDomain>;

/** The mail part of a mail server's desired state. */
export const desiredMailState = z.object({
  domains: z.array(desiredMailDomain),
  mailboxes: z.array(desiredMailbox),
  aliases: z.array(desiredMailAlias),
  /** the server's name as the mail records publish it (what clients' autoconfig names); null: none, the server's own host name is used */
  host: z.string().nullable().optional(),
  /** this mail server's certificate from the platform's ACME controller, once issued (the PEM is fetched by id); null: a self-signed one */
  certificate: z.object({ id: z.string(), fingerprint: z.string() }).nullable().optional(),
  /** the hostings whose purge staff asked: their mail is deleted from the mail server */
  purges: z.array(z.object({ hosting: z.string() })).optional(),
});
