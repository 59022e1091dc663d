// The last restores of a hosting, from its snapshots (Snapshots tab) or from its backups (Backups
// tab): what was restored, from which snapshot, where to, when, and its state with why one failed
// and how to undo one done in place. The caller follows the list while one is under way (pending).
import type { ReactNode } from 'react';
import { TableScroll } from './TableScroll.js';
import { Say, useI18n } from '../i18n/i18n.js';
import { reportPhrase } from '../i18n/errors.js';

export interface RestoreRow {
  id: string;
  snapshot: string;
  mode: string;
  target: string;
  safetySnapshot: string | null;
  status: 'requested' | 'running' | 'done' | 'failed';
  error: { code: string; message: string | null } | null;
  requestedAt: string;
}

/** Whether a restore of the list is still to be done (the list is asked for again every 2 s meanwhile). */
export const pending = (items: RestoreRow[] | undefined) => !!items?.some((r) => r.status === 'requested' || r.status === 'running');

export interface RestoreTableText {
  /** the table's name (its caption) */
  list: string;
  /** said when there is none */
  none: string;
  /** the column headers: what was restored, the snapshot, where to, when, its state */
  columns: [string, string, string, string, string];
  /** said after the target of a restore in place */
  inPlace: string;
}

export function RestoreTable<R extends RestoreRow>({ items, testId, text, what, undo }: {
  items: R[];
  /** the data-testid of the table ("<testId>-table", "<testId>-none") and of each state cell ("<testId without its s>-status") */
  testId: 'restores' | 'backup-restores';
  text: RestoreTableText;
  /** what was restored (the first column) */
  what(r: R): ReactNode;
  /** how to undo a restore done in place, from its safety snapshot */
  undo(r: R, safetySnapshot: string): string;
}) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  if (items.length === 0) return <p className="hint" data-testid={`${testId}-none`}>{text.none}</p>;
  return (
    <TableScroll label={text.list}>
      <table data-testid={`${testId}-table`}>
        <caption className="visually-hidden">{text.list}</caption>
        <thead>
          <tr>
            {text.columns.map((c) => <th scope="col" key={c}>{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const why = r.error ? reportPhrase({ code: r.error.code, message: r.error.message }, i18n) : null;
            return (
              <tr key={r.id}>
                <th scope="row"><code>{what(r)}</code></th>
                <td><code>{r.snapshot}</code></td>
                <td><code>{r.target}</code>{r.mode === 'in-place' && <> · {text.inPlace}</>}</td>
                <td>{fmt.dateTime(r.requestedAt)}</td>
                <td data-testid={`${testId.slice(0, -1)}-status`}>
                  <span className={r.status === 'failed' ? 'badge badge-suspended' : 'badge'}>{t(`restores.status.${r.status}`)}</span>
                  {why && <p className="field-error"><Say phrase={why} /></p>}
                  {r.status === 'done' && r.safetySnapshot && <p className="hint">{undo(r, r.safetySnapshot)}</p>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
