// Pure rules of payments: an invoice's status and balance from what was paid, the ISO 11649 RF
// creditor reference of an invoice (derived from its number, so a transfer's reference finds it), the
// IBAN's ISO 13616 mod-97 check, and the EPC069-12 "SEPA credit transfer" QR payload.
import type { InvoiceKind } from '../platform/db/schema-billing.js';

export const invoiceStatuses = ['unpaid', 'partially_paid', 'paid', 'credited'] as const;
/** What staff record by hand; cards come from a provider (its webhook). */
export const staffMethods = ['transfer', 'cheque', 'cash', 'other'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export interface PaymentState {
  /** null for proformas and credit notes: they are not claims */
  status: InvoiceStatus | null;
  /** received minus refunded */
  paidCents: number;
  /** what the customer still owes; negative: what the host owes back (a credited invoice that was paid: a refund due) */
  balanceCents: number;
}

/**
 * An invoice's state. What is owed is its total less what its credit notes credit (partial credits:
 * migration 0044). Credited in full, it is owed no more: what was paid on it is due back, until refunds
 * (negative payments) bring its paid amount to zero; credited in part, what was paid beyond what is
 * still owed is due back (a negative balance).
 */
export function paymentState(kind: InvoiceKind, totalCents: number, paidCents: number, creditedCents: number): PaymentState {
  if (kind !== 'invoice') return { status: null, paidCents: 0, balanceCents: 0 };
  const owed = totalCents - creditedCents;
  if (owed <= 0) return { status: 'credited', paidCents, balanceCents: -paidCents };
  const balanceCents = owed - paidCents;
  const status = balanceCents <= 0 ? 'paid' : paidCents > 0 ? 'partially_paid' : 'unpaid';
  return { status, paidCents, balanceCents };
}

/** The remainder mod 97 of an alphanumeric string read as a number, letters as 10 (A) to 35 (Z). */
export function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = parseInt(ch, 36);
    if (Number.isNaN(v)) return -1;
    r = (v < 10 ? r * 10 + v : r * 100 + v) % 97;
  }
  return r;
}

const RF_BODY = /^[A-Z0-9]{1,21}$/;

/** Spaces out and upper-cased: 'rf18 5390 0754 7034' → 'RF18539007547034'. */
export const compactReference = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/** The RF creditor reference of a body (1 to 21 letters and digits): 'RF' + two check digits + the body. */
export function rfReference(body: string): string {
  if (!RF_BODY.test(body)) throw new Error(`an RF reference's body is 1 to 21 letters and digits: ${JSON.stringify(body)}`);
  const check = 98 - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, '0')}${body}`;
}

/** Whether a reference (spaces allowed) is a well-formed RF creditor reference with right check digits. */
export function isRfReference(s: string): boolean {
  const r = compactReference(s);
  return /^RF\d{2}[A-Z0-9]{1,21}$/.test(r) && mod97(`${r.slice(4)}${r.slice(0, 4)}`) === 1;
}

/** Printed in groups of four: 'RF18 5390 0754 7034'. */
export const formatRf = (rf: string) => compactReference(rf).replace(/(.{4})(?=.)/g, '$1 ');

/** The RF reference of an invoice, from its number: F2026-000123 → RF.. F2026000123. */
export const invoiceRf = (number: string) => rfReference(number.replace('-', ''));

/** The invoice number an RF reference designates, or null (not an RF reference, wrong check digits, not an invoice's). */
export function invoiceNumberOfRf(s: string): string | null {
  if (!isRfReference(s)) return null;
  const m = /^([A-Z]\d{4})(\d{6})$/.exec(compactReference(s).slice(4));
  return m ? `${m[1]}-${m[2]}` : null;
}

/** IBAN lengths of the SEPA countries (ISO 13616 registry). */
const ibanLengths: Record<string, number> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22, GI: 23, GR: 27,
  HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24,
  SE: 24, SI: 19, SK: 24, SM: 27, VA: 22,
};

/** Why an IBAN (compact, upper case) is not valid, or null when it is. */
export function ibanProblem(iban: string): string | null {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return 'an IBAN is a country code, two check digits and letters or digits';
  const want = ibanLengths[iban.slice(0, 2)];
  if (!want) return `${iban.slice(0, 2)} is not a SEPA country`;
  if (iban.length !== want) return `a ${iban.slice(0, 2)} IBAN has ${want} characters, not ${iban.length}`;
  if (mod97(`${iban.slice(4)}${iban.slice(0, 4)}`) !== 1) return 'the check digits do not match (mod 97): a character is wrong';
  return null;
}

export const BIC = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** IBAN in groups of four: 'FR76 3000 6000 0112 3456 7890 189'. */
export const formatIban = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ');

export interface TransferOrder {
  bic: string;
  name: string;
  iban: string;
  amountCents: number;
  reference: string;
}

/**
 * The EPC069-12 (version 002) QR payload of a SEPA credit transfer in euros: service tag, version,
 * character set (1: UTF-8), identification, BIC, beneficiary (70 characters at most), IBAN, amount,
 * purpose (none), structured remittance (the RF reference), no unstructured text; lines end with LF.
 */
export function epcPayload(o: TransferOrder): string {
  if (o.amountCents < 1 || o.amountCents > 99_999_999_999) throw new Error(`an EPC QR amount is 0.01 to 999999999.99 euros: ${o.amountCents} cents`);
  const amount = `EUR${Math.floor(o.amountCents / 100)}.${String(o.amountCents % 100).padStart(2, '0')}`;
  const name = [...o.name.replace(/[\r\n]+/g, ' ').trim()].slice(0, 70).join('');
  return ['BCD', '002', '1', 'SCT', o.bic, name, o.iban, amount, '', compactReference(o.reference)].join('\n');
}
