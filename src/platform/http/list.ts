// Lists over HTTP: `q` searches the listed text columns, `sort` is `field` or `-field`, `limit` ≤ 1000,
// `cursor` continues after the last row (keyset, so deep pages stay fast). Answer: { items, nextCursor, total }.
// The query that runs a page is platform/store-list.ts (SQL lives in store files).
import { z } from 'zod';
import { singleLine } from '../validation.js';

export const listQuery = z.object({
  q: singleLine(200, 0).optional().describe('search across the listed columns'),
  sort: z
    .string()
    .max(64)
    .regex(/^-?[a-zA-Z]+$/, 'must be a field name, optionally prefixed by -')
    .optional()
    .describe('field or -field'),
  limit: z.coerce.number().int().min(1).max(1000).default(50).describe('page size, up to 1000'),
  cursor: z.string().max(1000).optional().describe('nextCursor of the previous page'),
});
export type ListQuery = z.output<typeof listQuery>;

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}
