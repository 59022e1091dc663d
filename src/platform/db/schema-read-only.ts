// Row type of the platform's read-only mode: one row at most (0041-read-only).
import type { Generated } from 'kysely';

export interface PlatformReadOnlyTable {
  id: Generated<boolean>;
  enabled: boolean;
  messageFr: string;
  messageEn: string;
  startsAt: Date | string | null;
  changedAt: Date | string;
  changedBy: string | null;
}
