// The mail part of the agent protocol (protocol.ts): what a mail server's desired state holds.
import { z } from 'zod';

/**
 * Mail of the hostings placed on a mail server (Abri's Postfix and Dovecot): its domains; its
 * mailboxes (address = login, SHA-512 crypt string, quota in MB, stored under the hosting's uid;
 * `active` false: it still receives mail but nobody signs in); its aliases (address → destinations).
 */
export const desiredMailDomain = z.object({ id: z.string(), name: z.string(), hosting: z.string() });
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
});
