// Row types of the platform's e-mail and password-reset links (0032-outbox).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.js';

export interface OutgoingMailTable {
  id: Generated<string>;
  template: string;
  locale: 'fr' | 'en';
  recipient: string;
  params: ColumnType<unknown, string, string>;
  linkSealed: string | null;
  status: Generated<'queued' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  lastError: string | null;
  messageId: string | null;
  dedupeKey: Generated<string | null>;
  userId: string | null;
  customerId: string | null;
  createdAt: CreatedAt;
  sentAt: Date | string | null;
  updatedAt: Timestamp;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  userId: string;
  tokenHash: string;
  expiresAt: Date | string;
  usedAt: Date | string | null;
  createdAt: CreatedAt;
}
