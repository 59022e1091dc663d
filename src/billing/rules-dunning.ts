// Dunning's pure rules: how late an invoice is, which step it is due for, and when the next comes.
// One step per invoice per run, in order: the latest reminder due (a missed one is not sent late on
// top of it), then the suspension (on a later day than the last reminder), then the termination (at
// the earliest terminateDay - suspendDay days after the suspension). Switching dunning on over old
// invoices therefore warns before it suspends, and suspends before it terminates.
import { addDays } from './rules.js';

export interface DunningSettings {
  enabled: boolean;
  /** days after the payment due date each reminder is sent, increasing */
  reminderDays: number[];
  suspendDay: number;
  terminateDay: number;
}

export interface DunningProgress {
  reminders: number;
  /** the day ('YYYY-MM-DD') of its last step, null before the first */
  lastStepOn: string | null;
  suspendedOn: string | null;
  terminated: boolean;
}

export type DueStep = { step: 'reminder'; n: number } | { step: 'suspension' } | { step: 'termination' };

const DAY = 86_400_000;

/** Days from the payment due date to `today` (0 on the due date itself). */
export const daysLate = (paymentDue: string, today: string) => Math.round((Date.parse(today) - Date.parse(paymentDue)) / DAY);

/** The step an invoice is due for today, or null. `hosting`: whether it has a hosting to suspend. */
export function dueStep(s: DunningSettings, p: DunningProgress, paymentDue: string, today: string, hosting: boolean): DueStep | null {
  const late = daysLate(paymentDue, today);
  const n = s.reminderDays.filter((d) => d <= late).length;
  if (n > p.reminders) return { step: 'reminder', n };
  if (!hosting || p.terminated) return null;
  if (!p.suspendedOn) {
    const warned = p.reminders > 0 || s.reminderDays.length === 0;
    return late >= s.suspendDay && warned && (p.lastStepOn === null || p.lastStepOn < today) ? { step: 'suspension' } : null;
  }
  return late >= s.terminateDay && daysLate(p.suspendedOn, today) >= s.terminateDay - s.suspendDay ? { step: 'termination' } : null;
}

/** The next step and its day ('YYYY-MM-DD'), as planned today (a later step may come later than planned, never earlier). */
export function nextStep(s: DunningSettings, p: DunningProgress, paymentDue: string, today: string, hosting: boolean): { step: DueStep['step']; n?: number; on: string } | null {
  const i = p.reminders;
  if (i < s.reminderDays.length) return { step: 'reminder', n: i + 1, on: laterOf(addDays(paymentDue, s.reminderDays[i]!), today) };
  if (!hosting || p.terminated) return null;
  if (!p.suspendedOn) return { step: 'suspension', on: laterOf(addDays(paymentDue, s.suspendDay), p.lastStepOn ? addDays(p.lastStepOn, 1) : today) };
  return { step: 'termination', on: laterOf(addDays(paymentDue, s.terminateDay), addDays(p.suspendedOn, s.terminateDay - s.suspendDay)) };
}

const laterOf = (a: string, b: string) => (a > b ? a : b);

/** What is wrong with settings (null: fine): reminders increasing, before the suspension, before the termination. */
export function settingsProblem(s: Pick<DunningSettings, 'reminderDays' | 'suspendDay' | 'terminateDay'>): { field: string; message: string } | null {
  for (let i = 1; i < s.reminderDays.length; i++) {
    if (s.reminderDays[i]! <= s.reminderDays[i - 1]!) return { field: 'reminderDays', message: 'reminder days must increase' };
  }
  if (s.reminderDays.length && s.reminderDays.at(-1)! >= s.suspendDay) return { field: 'suspendDay', message: 'the suspension comes after the last reminder' };
  if (s.terminateDay <= s.suspendDay) return { field: 'terminateDay', message: 'the termination comes after the suspension' };
  return null;
}
