// One page of a list, in SQL: the search (`q`), the sort (`field` or `-field`), and the keyset cursor
// (deep pages stay fast). The API side of lists (query schema, answer shape) is http/list.ts.
import { sql, type SelectQueryBuilder, type Expression, type SqlBool } from 'kysely';
import { AppError } from './errors.js';
import type { ListQuery, Page } from './http/list.js';

export type { ListQuery, Page } from './http/list.js';

export interface ListSpec {
  /** columns searched by q, table-qualified ("sites.domain") */
  search: string[];
  /**
   * optional stored column holding lower() of the `search` columns, one per line (trigram-indexed):
   * q is then one LIKE on it instead of an ILIKE per column, with the same result (q has no line break)
   */
  searchText?: string;
  /** API sort field → table-qualified column; every column must be NOT NULL */
  sorts: Record<string, string>;
  /** default sort field (API name, optionally with -) */
  defaultSort: string;
  /** table-qualified unique tie-breaker */
  idColumn: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

function decodeCursor(cursor: string): [unknown, unknown] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // both keys travel as text (see the select below); anything else was not made by this API
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      return v as [unknown, unknown];
    }
  } catch (e) {
    // not base64url JSON: not a cursor this API made (anything else is a bug, not a bad cursor)
    if (!(e instanceof SyntaxError)) throw e;
  }
  throw invalidCursor();
}

const invalidCursor = () => new AppError('request.invalid_cursor', 'cursor is not one this API returned');

const encodeCursor = (value: unknown, id: unknown) =>
  Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString('base64url');

/**
 * Runs a filtered base query as one page. `qb` already has its FROM/JOIN/WHERE (tenant scope);
 * `select` adds the selected columns and must include `sortKey` and `idKey` aliases.
 */
export async function paginate<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, {}>,
  spec: ListSpec,
  query: ListQuery,
  select: (qb: SelectQueryBuilder<DB, TB, {}>) => SelectQueryBuilder<DB, TB, O>,
): Promise<Page<O>> {
  const sortField = query.sort ?? spec.defaultSort;
  const desc = sortField.startsWith('-');
  const field = desc ? sortField.slice(1) : sortField;
  const column = Object.hasOwn(spec.sorts, field) ? spec.sorts[field] : undefined;
  if (!column) {
    throw new AppError('request.invalid_sort', `sort must be one of: ${Object.keys(spec.sorts).join(', ')} (optionally prefixed by -)`);
  }
  let filtered = qb;
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    filtered = (
      spec.searchText
        ? filtered.where(sql<SqlBool>`${sql.ref(spec.searchText)} LIKE lower(${pattern})`)
        : filtered.where(({ or }) => or(spec.search.map((c) => sql<SqlBool>`${sql.ref(c)}::text ILIKE ${pattern}`)))
    ) as typeof qb;
  }
  const countRow = await filtered.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  let page = filtered;
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor);
    const op = sql.raw(desc ? '<' : '>');
    const col = sql.ref(column);
    const idc = sql.ref(spec.idColumn);
    // a row comparison (sort columns are NOT NULL) is an index condition: deep pages start in place
    const cond: Expression<SqlBool> = sql<SqlBool>`(${col}, ${idc}) ${op} (${value}, ${id})`;
    page = page.where(() => cond) as typeof qb;
  }
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const rows = (await select(page)
    // the sort key travels as text so timestamps keep their microseconds in the cursor
    .select([sql`${sql.ref(column)}::text`.as('cursorsortkey'), sql`${sql.ref(spec.idColumn)}::text`.as('cursoridkey')])
    .orderBy(sql`${sql.ref(column)} ${dir}`)
    .orderBy(sql`${sql.ref(spec.idColumn)} ${dir}`)
    .limit(query.limit + 1)
    .execute()
    .catch((e: unknown) => {
      // a forged cursor whose values the columns cannot hold: SQLSTATE class 22, data exception
      if (query.cursor && /^22/.test(String((e as { code?: unknown }).code))) throw invalidCursor();
      throw e;
    })) as Array<O & { cursorsortkey: unknown; cursoridkey: unknown }>;
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ cursorsortkey, cursoridkey, ...rest }) => rest as O),
    nextCursor: more && last ? encodeCursor(last.cursorsortkey, last.cursoridkey) : null,
    total: Number((countRow as { total: number }).total),
  };
}
