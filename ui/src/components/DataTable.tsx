// The one table of the UI: search as you type, sortable headers, and first/previous/next/last
// paging over a useList state. Columns name how to show a row and which API field sorts them.
import { useId, type ReactNode } from 'react';
import type { ListState } from '../api/use-list.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorNotice } from './Notice.js';
import { Pager } from './Pager.js';
import { TableScroll } from './TableScroll.js';

export interface Column<T> {
  /** stable id of the column */
  id: string;
  header: string;
  /** API sort field, when the column sorts */
  sort?: string;
  cell(row: T): ReactNode;
  /** the row's header cell (a name people read first) */
  rowHeader?: boolean;
  className?: string;
}

export function DataTable<T>(props: {
  list: ListState<T>;
  columns: Column<T>[];
  caption: string;
  rowKey(row: T): string;
  searchLabel?: string;
  empty: string;
  toolbar?: ReactNode;
}) {
  const { list, columns } = props;
  const { t, fmt } = useI18n();
  const searchId = useId();
  const statusId = useId();
  const sortState = (c: Column<T>) => (list.sort === c.sort ? 'ascending' : list.sort === `-${c.sort}` ? 'descending' : 'none');
  return (
    <div className="data-table">
      <div className="table-toolbar">
        {props.searchLabel && (
          <div className="search">
            <label htmlFor={searchId}>{props.searchLabel}</label>
            <input id={searchId} type="search" value={list.query} onChange={(e) => list.setQuery(e.target.value)} aria-describedby={statusId} autoComplete="off" />
          </div>
        )}
        {props.toolbar}
      </div>
      <p id={statusId} className="table-status" role="status" aria-live="polite" data-testid="table-status">
        {list.loading ? t('table.loading') : t('table.total', { count: fmt.number(list.total) })}
      </p>
      {list.error && <ErrorNotice error={list.error} />}
      <TableScroll label={props.caption}>
        <table aria-busy={list.loading}>
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.id} scope="col" aria-sort={c.sort ? sortState(c) : undefined} className={c.className}>
                  {c.sort ? (
                    <button type="button" className="sort-button" onClick={() => list.sortBy(c.sort!)}>
                      {c.header}
                      <span aria-hidden="true" className="sort-mark">{sortState(c) === 'ascending' ? '▲' : sortState(c) === 'descending' ? '▼' : '↕'}</span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.items.map((row) => (
              <tr key={props.rowKey(row)}>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <th key={c.id} scope="row" className={c.className}>{c.cell(row)}</th>
                  ) : (
                    <td key={c.id} className={c.className}>{c.cell(row)}</td>
                  ),
                )}
              </tr>
            ))}
            {!list.loading && list.items.length === 0 && (
              <tr>
                <td colSpan={columns.length} className="empty">{props.empty}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      <Pager list={list} />
    </div>
  );
}
