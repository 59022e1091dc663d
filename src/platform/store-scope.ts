// The tenant filter of every store: a row is visible when its customer is among the caller's
// customers (`scope`: null = all, the staff, who get no filter; an empty list = none).
import { sql, type RawBuilder } from 'kysely';

/** `.where(inScope('zones.customer_id', scope))` (the column as in SQL): rows of these customers only. */
export function inScope(column: string, scope: string[]): RawBuilder<boolean> {
  return scope.length ? sql<boolean>`${sql.ref(column)} in (${sql.join(scope)})` : sql<boolean>`false`;
}
