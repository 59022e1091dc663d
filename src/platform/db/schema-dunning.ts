// Row types of dunning (0049-dunning): its settings, its state and log per invoice, staff pauses per
// customer, the hostings it suspended.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './schema.js';

export type DunningStep = 'reminder' | 'suspension' | 'termination' | 'unsuspension' | 'paid' | 'credited' | 'paused' | 'resumed';

export interface DunningSettingsTable {
  id: Generated<boolean>;
  enabled: boolean;
  reminderDays: number[];
  suspendDay: number;
  terminateDay: number;
  updatedAt: Timestamp;
}

export interface DunningInvoicesTable {
  invoiceId: string;
  customerId: string;
  hostingId: string | null;
  reminders: Generated<number>;
  lastStepOn: ColumnType<string | null, string | null, string | null>;
  suspendedAt: Date | string | null;
  terminatedAt: Date | string | null;
  pausedAt: Date | string | null;
  pausedBy: string | null;
  pauseNote: Generated<string>;
  endedAt: Date | string | null;
  ended: 'paid' | 'credited' | null;
  updatedAt: Timestamp;
}

export interface DunningEventsTable {
  id: Generated<number>;
  invoiceId: string;
  customerId: string;
  hostingId: string | null;
  step: DunningStep;
  reminder: number | null;
  daysLate: number;
  detail: Generated<string>;
  doneBy: string;
  at: Date | string;
}

export interface DunningCustomerPausesTable {
  customerId: string;
  pausedAt: Date | string;
  pausedBy: string;
  note: Generated<string>;
}

export interface DunningSuspensionsTable {
  hostingId: string;
  invoiceId: string;
  suspendedAt: Date | string;
}
