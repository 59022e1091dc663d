// Row types of the mail of hostings (src/mail).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.js';

/** Mail of hostings (src/mail): domains on a mail server, mailboxes (SHA-512 crypt strings only), aliases. */
export interface MailDomainsTable { id: Generated<string>; hostingId: string; serverId: string; name: string; revision: Generated<number>; createdAt: CreatedAt; updatedAt: Timestamp }
export interface MailboxesTable {
  id: Generated<string>; domainId: string; hostingId: string; localPart: string; quotaMb: number; passwordHash: string; passwordChangedAt: Date | string;
  enabled: boolean; usedBytes: number | string | null; measuredAt: Date | string | null; revision: Generated<number>; createdAt: CreatedAt; updatedAt: Timestamp;
}
/** App passwords of mailboxes (SHA-512 crypt strings only). */
export interface MailAppPasswordsTable { id: Generated<string>; mailboxId: string; name: string; passwordHash: string; createdAt: CreatedAt }
export interface MailAliasesTable { id: Generated<string>; domainId: string; hostingId: string; localPart: string; destinations: string[]; revision: Generated<number>; createdAt: CreatedAt; updatedAt: Timestamp }
/** The last DNS check of each mail server's sending addresses (src/mail/store-health.ts). */
export interface MailHealthTable { serverId: string; helo: string | null; ok: boolean; addresses: ColumnType<unknown, string, string>; problems: ColumnType<unknown, string, string>; checkedAt: Timestamp }
