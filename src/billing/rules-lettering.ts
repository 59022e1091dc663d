// Lettering of the customers' account in the FEC (pure): an invoice's entry, its credit notes' and the
// payments and refunds that settle it carry one letter — AA, AB… ZZ, then AAA… — once, by the export's
// last day, they add up to nothing (the invoice is paid or credited in full, refunds made). The letter
// is the invoice's rank among its customer's invoices (its n-th invoice: the n-th code), so it never
// changes from one export to the next and no two invoices of a customer share one; DateLet is the day
// of the last entry that settled it.

export interface LetterGroup {
  /** the invoice whose entries (its own, its credit notes', its payments') are lettered together */
  invoiceId: string;
  /** 1 for the customer's first invoice, 2 for the second… */
  rank: number;
  /** what the customers' account still holds for it on the export's last day: its total less its credits and payments */
  balanceCents: number;
  /** YYYY-MM-DD: its latest entry on or before that day */
  lastDay: string;
}

export interface Letter {
  letter: string;
  day: string;
}

/** 1 → AA, 2 → AB, 26 → AZ, 27 → BA, 676 → ZZ, 677 → AAA… */
export function letterCode(rank: number): string {
  if (!Number.isSafeInteger(rank) || rank < 1) throw new Error(`a lettering rank is a positive integer, not ${rank}`);
  let n = rank - 1;
  let width = 2;
  for (let count = 26 ** 2; n >= count; count = 26 ** ++width) n -= count;
  let code = '';
  for (let k = 0; k < width; k++, n = Math.floor(n / 26)) code = String.fromCharCode(65 + (n % 26)) + code;
  return code;
}

/** The letters of the settled invoices, by invoice id; the others are not lettered. */
export function lettersOf(groups: LetterGroup[]): Record<string, Letter> {
  const letters: Record<string, Letter> = {};
  for (const g of groups) if (g.balanceCents === 0) letters[g.invoiceId] = { letter: letterCode(g.rank), day: g.lastDay };
  return letters;
}
