// Add a record to a zone, or change one: name, type, a value whose hint explains the format of the
// chosen type in plain words, and an optional TTL. The API's field errors show under each field.
import { useEffect, useRef } from 'react';
import { recordTypes, type DnsRecord, type RecordType, type Zone } from '../../api/model.js';
import { change } from '../../api/query.js';
import { SelectField, TextArea, TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';

/** A TXT value of one plain quoted string is shown without its quotes (the API adds them back). */
const editable = (r: DnsRecord) => {
  const plain = r.type === 'TXT' ? /^"([^"\\]*)"$/.exec(r.content) : null;
  return plain ? plain[1] : r.content;
};

export function RecordForm({ zone, record, onSaved, onCancel }: {
  zone: Zone;
  /** the record being changed; null to add one */
  record: DnsRecord | null;
  onSaved(r: DnsRecord, how: 'added' | 'changed'): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const empty = { name: '@', type: 'A' as string, content: '', ttl: '' };
  const form = useForm(record ? { name: record.relativeName, type: record.type, content: editable(record), ttl: String(record.ttl) } : empty, {
    validate: (v) => (v.ttl.trim() && !/^\d+$/.test(v.ttl.trim()) ? [issue('ttl', 'form.whole_number')] : []),
  });
  const type = form.values.type as RecordType;

  // a record chosen for a change: its form takes the focus (keyboard and screen reader users land on it)
  useEffect(() => {
    if (record) box.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [record]);

  const submit = async (v: typeof empty) => {
    const ttlText = v.ttl.trim();
    const body = { name: v.name.trim() || '@', type: v.type as RecordType, content: v.content, ...(ttlText ? { ttl: Number(ttlText) } : {}) };
    const saved = record
      ? await change('patch', '/zones/{id}/records/{recordId}', { path: { id: zone.id, recordId: record.id! }, body })
      : await change('post', '/zones/{id}/records', { path: { id: zone.id }, body });
    if (!record) form.reset(empty);
    onSaved(saved, record ? 'changed' : 'added');
  };

  const title = record ? t('record.editTitle', { type: record.type, name: record.relativeName }) : t('record.addTitle');
  return (
    <div ref={box} className="record-form">
      <h3>{title}</h3>
      <Form form={form} onSubmit={submit} submitLabel={record ? t('action.save') : t('record.add')} label={title}
        actions={record ? <button type="button" onClick={onCancel}>{t('action.cancel')}</button> : undefined}>
        <div className="field-row">
          <TextField name="name" label={t('record.name')} hint={t('record.nameHint', { zone: zone.nameUnicode })} required />
          <SelectField name="type" label={t('record.type')} options={recordTypes.map((r) => ({ value: r, label: t(`recordType.${r}`) }))} />
        </div>
        {type === 'TXT' ? (
          <TextArea name="content" label={t('record.content')} hint={t(`recordHint.${type}`)} rows={2} mono required />
        ) : (
          <TextField name="content" label={t('record.content')} hint={t(`recordHint.${type}`)} required />
        )}
        <TextField name="ttl" label={t('record.ttl')} hint={t('record.ttlHint')} inputMode="numeric" />
      </Form>
    </div>
  );
}
