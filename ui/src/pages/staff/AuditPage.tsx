// Staff: the audit log — who changed what, when, from where — filtered by actor, target, action and dates.
import { useState } from 'react';
import type { AuditEntry } from '../../api/model.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00`).toISOString() : undefined);
const dayAfter = (d: string) => (d ? new Date(new Date(`${d}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined);

export function AuditPage() {
  const { t, tMaybe, fmt } = useI18n();
  const empty = { actor: '', target: '', action: '', from: '', to: '' };
  const [filters, setFilters] = useState(empty);
  const form = useForm(empty);
  const list = useList('/audit', {
    defaultSort: '-at',
    filters: { actor: filters.actor || undefined, target: filters.target || undefined, action: filters.action || undefined, from: dayStart(filters.from), to: dayAfter(filters.to) },
  });
  const columns: Column<AuditEntry>[] = [
    { id: 'at', header: t('audit.at'), sort: 'at', cell: (e) => fmt.dateTime(e.at) },
    { id: 'actor', header: t('audit.actor'), sort: 'actor', cell: (e) => e.actor },
    { id: 'action', header: t('audit.action'), sort: 'action', rowHeader: true, cell: (e) => tMaybe(`auditAction.${e.action}`, e.action) },
    { id: 'target', header: t('audit.target'), cell: (e) => (e.target ? `${tMaybe(`targetType.${e.targetType}`, e.targetType)} ${e.target}` : '—'), className: 'wrap' },
    { id: 'address', header: t('audit.address'), cell: (e) => e.address ?? '—' },
  ];
  return (
    <Page title={t('nav.audit')}>
      <details className="filters" open>
        <summary>{t('audit.filters')}</summary>
        <Form form={form} onSubmit={async (v) => setFilters(v)} submitLabel={t('audit.apply')} label={t('audit.filters')}
          actions={<button type="button" onClick={() => { form.reset(empty); setFilters(empty); }}>{t('audit.clear')}</button>}>
          <div className="field-grid">
            <TextField name="actor" label={t('audit.actor')} hint={t('audit.actorHint')} />
            <TextField name="target" label={t('audit.target')} hint={t('audit.targetHint')} />
            <TextField name="action" label={t('audit.action')} hint={t('audit.actionHint')} />
            <TextField name="from" label={t('audit.from')} type="date" />
            <TextField name="to" label={t('audit.to')} type="date" />
          </div>
        </Form>
      </details>
      <DataTable list={list} columns={columns} caption={t('nav.audit')} rowKey={(e) => String(e.id)} searchLabel={t('audit.search')} empty={t('table.noMatch')} />
    </Page>
  );
}
