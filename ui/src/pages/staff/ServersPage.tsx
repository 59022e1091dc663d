// Staff: the servers agents run on — roles, addresses, last contact and the revision they reached.
import { Link } from '@tanstack/react-router';
import type { Server } from '../../api/model.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

export function ServersPage() {
  const { t, tMaybe, fmt } = useI18n();
  const { me } = useSession();
  const list = useList('/servers', { defaultSort: 'name' });
  const columns: Column<Server>[] = [
    { id: 'name', header: t('field.name'), sort: 'name', rowHeader: true, cell: (s) => (s.local ? `${s.name} (${t('server.local')})` : s.name) },
    { id: 'roles', header: t('server.roles'), cell: (s) => s.roles.map((r) => tMaybe(`serverRole.${r}`, r)).join(', ') },
    { id: 'addresses', header: t('server.addresses'), cell: (s) => [...new Set([...s.publicAddresses, ...s.addresses])].join(', ') || '—', className: 'wrap' },
    { id: 'contact', header: t('server.lastContact'), cell: (s) => (s.lastContactAt ? fmt.dateTime(s.lastContactAt) : t('server.never')) },
    { id: 'revision', header: t('server.revision'), sort: 'reachedRevision', cell: (s) => fmt.number(s.reachedRevision), className: 'num' },
    { id: 'mode', header: t('server.mode'), cell: (s) => (s.mode ? t(`serverMode.${s.mode}`) : '—') },
    { id: 'mailHealth', header: t('mailHealth.link'), cell: (s) => (s.roles.includes('mail') ? <Link to="/staff/servers/$server/mail-health" params={{ server: s.name }}>{t('mailHealth.link')}</Link> : '—') },
    { id: 'error', header: t('server.lastError'), cell: (s) => (s.lastError ? <span className="error-text" lang="en">{s.lastError}</span> : t('server.noError')), className: 'wrap' },
  ];
  return (
    <Page title={t('nav.servers')} actions={me?.user.role === 'admin' ? <Link to="/staff/servers/new" className="button primary">{t('server.create')}</Link> : undefined}>
      <p className="hint">{t('server.explained')}</p>
      <DataTable list={list} columns={columns} caption={t('nav.servers')} rowKey={(s) => s.id} searchLabel={t('server.search')}
        empty={list.query ? t('table.noMatch') : t('server.none')} />
    </Page>
  );
}
