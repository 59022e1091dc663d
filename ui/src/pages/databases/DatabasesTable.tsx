// The databases of a hosting: name, measured size, users, state on its server (and "read only" when
// over the space quota); removing one asks first and says that its tables go with it.
import type { Database } from '../../api/model.js';
import { change } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { ProvisioningState } from '../../components/Status.js';
import { pendingOnServer } from '../../api/pending.js';
import { useI18n } from '../../i18n/i18n.js';

export function DatabasesTable({ hostingId, writable }: { hostingId: string; writable: boolean }) {
  const { t } = useI18n();
  const list = useList('/hostings/{id}/databases', { defaultSort: 'name', path: { id: hostingId }, pollWhile: pendingOnServer });
  const columns: Column<Database>[] = [
    { id: 'name', header: t('database.name'), sort: 'name', rowHeader: true, className: 'nowrap', cell: (d) => <code>{d.name}</code> },
    { id: 'size', header: t('database.colSize'), cell: (d) => <Size database={d} /> },
    { id: 'users', header: t('database.colUsers'), className: 'wrap', cell: (d) => (d.users.length ? d.users.join(', ') : t('database.noUser')) },
    {
      id: 'state', header: t('database.colState'),
      cell: (d) => <>{d.readOnly && <span className="badge badge-suspended" data-testid="read-only">{t('readOnly.badge')}</span>} <ProvisioningState provisioning={d.provisioning} /></>,
    },
  ];
  if (writable) columns.push({ id: 'actions', header: t('field.actions'), cell: (d) => <RemoveDatabase database={d} /> });
  return (
    <DataTable list={list} columns={columns} caption={t('database.title')} rowKey={(d) => d.id} searchLabel={t('database.search')}
      empty={list.query ? t('table.noMatch') : t('database.none')} />
  );
}

function Size({ database: d }: { database: Database }) {
  const { t, fmt } = useI18n();
  if (d.sizeBytes === null) return <span className="hint">{t('database.notMeasured')}</span>;
  return <span title={t('database.measuredAt', { when: fmt.dateTime(d.measuredAt) })}>{fmt.bytes(d.sizeBytes)}</span>;
}

function RemoveDatabase({ database: d }: { database: Database }) {
  const { t } = useI18n();
  return (
    <ConfirmButton label={t('database.remove')} accessibleLabel={t('database.removeFor', { name: d.name })} title={t('database.removeTitle', { name: d.name })}
      confirmLabel={t('database.removeConfirm')} onConfirm={async () => { await change('delete', '/databases/{id}', { path: { id: d.id } }); }}>
      <p>{t('database.removeLoses', { name: d.name })}</p>
      {d.users.length > 0 && <p>{t('database.removeKeepsUsers')}</p>}
    </ConfirmButton>
  );
}
