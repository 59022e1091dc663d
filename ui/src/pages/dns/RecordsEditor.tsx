// A zone's records: the platform's (kept by it, read-only) and the customer's (change, remove),
// searched, sorted and paged by the API; the add/change form below. Used by the site's DNS tab and
// the staff's zone page.
import { useState } from 'react';
import type { DnsRecord, Zone } from '../../api/model.js';
import { change } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Notice } from '../../components/Notice.js';
import { useI18n } from '../../i18n/i18n.js';
import { RecordForm } from './RecordForm.js';

const rowKey = (r: DnsRecord) => r.id ?? `${r.name} ${r.type} ${r.content}`;

export function RecordsEditor({ zone, writable }: { zone: Zone; writable: boolean }) {
  const { t, fmt } = useI18n();
  const list = useList('/zones/{id}/records', { defaultSort: 'name', path: { id: zone.id } });
  const [editing, setEditing] = useState<DnsRecord | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const remove = async (r: DnsRecord) => {
    await change('delete', '/zones/{id}/records/{recordId}', { path: { id: zone.id, recordId: r.id! } });
    if (editing?.id === r.id) setEditing(null);
    setDone(t('record.removed', { type: r.type, name: r.relativeName }));
  };

  const actions = (r: DnsRecord) => {
    if (r.managed) {
      return (
        <span className="kept">
          <span className="badge badge-managed">{t('record.kept')}</span>
          {r.purpose && <span className="hint">{t(`recordPurpose.${r.purpose}`)}</span>}
        </span>
      );
    }
    if (!writable) return '—';
    const what = { type: r.type, name: r.relativeName };
    return (
      <span className="row-actions">
        <button type="button" onClick={() => { setDone(null); setEditing(r); }} aria-label={t('record.editLabel', what)}>{t('action.edit')}</button>
        <ConfirmButton label={t('record.remove')} accessibleLabel={t('record.removeLabel', what)} title={t('record.removeTitle', what)}
          confirmLabel={t('record.remove')} onConfirm={() => remove(r)}>
          <p>{t('record.removeLoses', { ...what, zone: zone.nameUnicode })}</p>
          <p><code>{r.nameUnicode} {r.ttl} {r.type} {r.content}</code></p>
        </ConfirmButton>
      </span>
    );
  };

  const columns: Column<DnsRecord>[] = [
    { id: 'name', header: t('record.name'), sort: 'name', rowHeader: true, cell: (r) => <code title={r.nameUnicode}>{r.relativeName}</code> },
    { id: 'type', header: t('record.type'), sort: 'type', cell: (r) => <code>{r.type}</code> },
    { id: 'content', header: t('record.content'), sort: 'content', className: 'wrap', cell: (r) => <code>{r.content}</code> },
    { id: 'ttl', header: t('record.ttlShort'), sort: 'ttl', className: 'num', cell: (r) => fmt.number(r.ttl) },
    { id: 'actions', header: t('field.actions'), cell: actions },
  ];
  return (
    <>
      <div className="records">
        <DataTable list={list} columns={columns} caption={t('record.caption', { zone: zone.nameUnicode })} rowKey={rowKey}
          searchLabel={t('record.search')} empty={list.query ? t('table.noMatch') : t('record.none')} />
      </div>
      {done && <Notice kind="success"><p>{done}</p></Notice>}
      {writable && (
        <RecordForm key={editing?.id ?? 'new'} zone={zone} record={editing} onCancel={() => setEditing(null)}
          onSaved={(r, how) => {
            setEditing(null);
            setDone(t(how === 'added' ? 'record.added' : 'record.changed', { type: r.type, name: r.relativeName }));
          }} />
      )}
    </>
  );
}
