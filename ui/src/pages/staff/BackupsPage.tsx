// Staff: every hosting's backup repository and its health (/staff/backups) — filtered by health
// (failed ones at a glance), searched, sorted — with the last good backup, the last failure and its
// reason; "Set up repositories now" gives one to every hosting without.
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { change, type Answer } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { BackupHealthBadge } from '../backups/BackupHealthBadge.js';
import { firstLine } from './JobsPage.js';

type Repository = Answer<'/backups'>['items'][number];
const HEALTHS = ['failed', 'never', 'ok'] as const;

export function BackupsPage() {
  const { t, fmt } = useI18n();
  const [health, setHealth] = useState<(typeof HEALTHS)[number] | ''>('');
  const [assigned, setAssigned] = useState<number | null>(null);
  const list = useList('/backups', { defaultSort: 'hosting', filters: { health: health || undefined } });
  const assign = async () => {
    const r = await change('post', '/backups/assign', {});
    setAssigned(r.assigned);
  };
  const columns: Column<Repository>[] = [
    { id: 'health', header: t('backups.health'), cell: (r) => <BackupHealthBadge health={r.health} /> },
    {
      id: 'hosting', header: t('backups.hosting'), sort: 'hosting', rowHeader: true,
      cell: (r) => <><Link to="/hostings/$hosting/backups" params={{ hosting: r.hostingName }}>{r.hostingName}</Link><br /><span className="hint">{r.customerName}</span></>,
    },
    { id: 'server', header: t('backups.server'), sort: 'server', cell: (r) => <code>{r.server}</code> },
    { id: 'lastSuccessAt', header: t('backups.lastSuccess'), className: 'nowrap', cell: (r) => (r.lastSuccessAt ? fmt.dateTime(r.lastSuccessAt) : t('backups.never')) },
    {
      id: 'lastError', header: t('backups.lastFailure'), className: 'wrap',
      cell: (r) => (r.lastError ? <><span className="nowrap">{fmt.dateTime(r.lastErrorAt)}</span><br /><span className="error-text" lang="en">{firstLine(r.lastError)}</span></> : '—'),
    },
  ];
  const toolbar = (
    <div className="search filter">
      <label htmlFor="backups-health">{t('backups.healthFilter')}</label>
      <select id="backups-health" value={health} onChange={(e) => setHealth(e.target.value as (typeof HEALTHS)[number] | '')}>
        <option value="">{t('backups.allHealths')}</option>
        {HEALTHS.map((h) => <option key={h} value={h}>{t(`backups.healthState.${h}`)}</option>)}
      </select>
    </div>
  );
  return (
    <Page title={t('nav.backups')} actions={<button type="button" className="primary" onClick={() => void assign()}>{t('backups.assign')}</button>}>
      <p className="hint">{t('backups.staffExplained')}</p>
      {assigned !== null && <p role="status" data-testid="backups-assigned">{t('backups.assigned', { count: assigned })}</p>}
      <DataTable list={list} columns={columns} caption={t('nav.backups')} rowKey={(r) => r.hosting} searchLabel={t('backups.search')} toolbar={toolbar}
        empty={list.query || health ? t('table.noMatch') : t('backups.noRepositories')} />
    </Page>
  );
}
