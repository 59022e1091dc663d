// Staff: the platform's outgoing e-mail (/staff/outbox) — invitations, activation links, password
// resets — newest first, filtered by status and kind, searched by recipient or error; each message
// has a page of its own (/staff/outbox/<id>) with its text (the link masked) and "Send again".
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { OutgoingMail, OutgoingMailStatus } from '../../api/model.js';
import { change, useGet } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Notice } from '../../components/Notice.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';
import { catalogs } from '../../i18n/catalog.js';
import { firstLine } from './JobsPage.js';

const statuses: OutgoingMailStatus[] = ['queued', 'sent', 'failed'];
/** The templates, from their names in the catalog: each capability translates its own (outbox.template.<name>). */
const templates = Object.keys(catalogs.en).filter((k) => k.startsWith('outbox.template.')).map((k) => k.slice('outbox.template.'.length) as OutgoingMail['template']);

function MailStatusBadge({ status }: { status: OutgoingMailStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-mail-${status}`} data-testid="mail-status">{t(`outbox.status.${status}`)}</span>;
}

export function OutboxPage() {
  const { t, fmt } = useI18n();
  const [status, setStatus] = useState<OutgoingMailStatus | ''>('');
  const [template, setTemplate] = useState<OutgoingMail['template'] | ''>('');
  const list = useList('/outbox', { defaultSort: '-createdAt', filters: { status: status || undefined, template: template || undefined } });
  const columns: Column<OutgoingMail>[] = [
    { id: 'createdAt', header: t('outbox.createdAt'), sort: 'createdAt', className: 'nowrap', cell: (m) => fmt.dateTime(m.createdAt) },
    { id: 'recipient', header: t('outbox.recipient'), sort: 'recipient', rowHeader: true, cell: (m) => <Link to="/staff/outbox/$message" params={{ message: m.id }}>{m.recipient}</Link> },
    { id: 'template', header: t('outbox.template'), cell: (m) => t(`outbox.template.${m.template}`) },
    { id: 'status', header: t('field.status'), sort: 'status', cell: (m) => <MailStatusBadge status={m.status} /> },
    { id: 'attempts', header: t('outbox.attempts'), sort: 'attempts', className: 'num', cell: (m) => fmt.number(m.attempts) },
    { id: 'lastError', header: t('outbox.lastError'), className: 'wrap', cell: (m) => (m.lastError ? <span className="error-text" lang="en">{firstLine(m.lastError)}</span> : '—') },
  ];
  const toolbar = (
    <>
      <div className="search filter">
        <label htmlFor="outbox-status">{t('outbox.statusFilter')}</label>
        <select id="outbox-status" value={status} onChange={(e) => setStatus(e.target.value as OutgoingMailStatus | '')}>
          <option value="">{t('outbox.all')}</option>
          {statuses.map((s) => <option key={s} value={s}>{t(`outbox.status.${s}`)}</option>)}
        </select>
      </div>
      <div className="search filter">
        <label htmlFor="outbox-template">{t('outbox.template')}</label>
        <select id="outbox-template" value={template} onChange={(e) => setTemplate(e.target.value as OutgoingMail['template'] | '')}>
          <option value="">{t('outbox.all')}</option>
          {templates.map((k) => <option key={k} value={k}>{t(`outbox.template.${k}`)}</option>)}
        </select>
      </div>
    </>
  );
  return (
    <Page title={t('nav.outbox')}>
      <p className="hint">{t('outbox.explained')}</p>
      <DataTable list={list} columns={columns} caption={t('nav.outbox')} rowKey={(m) => m.id} searchLabel={t('outbox.search')} toolbar={toolbar}
        empty={list.query || status || template ? t('table.noMatch') : t('outbox.none')} />
    </Page>
  );
}

const route = getRouteApi('/staff/outbox/$message');

export function OutgoingMailPage() {
  const { message } = route.useParams();
  const answer = useGet('/outbox/{id}', { path: { id: message } }, { refetchInterval: (q) => (q.state.data?.status === 'queued' ? 3000 : false) });
  return <Loaded query={answer}>{(m) => <MessageView message={m} />}</Loaded>;
}

function MessageView({ message: m }: { message: OutgoingMail & { text?: string } }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; phrase: Phrase } | null>(null);
  const resend = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      await change('post', '/outbox/{id}/resend', { path: { id: m.id } });
      setOutcome({ ok: true });
    } catch (e) {
      setOutcome({ ok: false, phrase: problemPhrase(e, i18n) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={m.subject} crumbs={[<Link to="/staff/outbox" activeOptions={{ exact: true }}>{t('nav.outbox')}</Link>]} subtitle={<MailStatusBadge status={m.status} />}
      actions={m.status === 'sent' ? undefined : <button type="button" className="primary" onClick={resend} disabled={busy}>{t('outbox.resend')}</button>}>
      {outcome?.ok && <Notice kind="success"><p>{t('outbox.resent')}</p></Notice>}
      {outcome && !outcome.ok && <div className="notice notice-error" role="alert"><p><Say phrase={outcome.phrase} /></p></div>}
      <p className="hint">{t(`outbox.status.${m.status}.explained`)}</p>
      <dl className="facts">
        <dt>{t('outbox.recipient')}</dt><dd>{m.recipient}</dd>
        <dt>{t('outbox.template')}</dt><dd>{t(`outbox.template.${m.template}`)} ({m.locale})</dd>
        <dt>{t('outbox.createdAt')}</dt><dd>{fmt.dateTime(m.createdAt)}</dd>
        <dt>{t('outbox.sentAt')}</dt><dd>{m.sentAt ? fmt.dateTime(m.sentAt) : '—'}</dd>
        <dt>{t('outbox.attempts')}</dt><dd>{fmt.number(m.attempts)}</dd>
        {m.messageId && <><dt>Message-ID</dt><dd><code>{m.messageId}</code></dd></>}
      </dl>
      {m.lastError && <Section title={t('outbox.lastError')}><pre className="job-error" lang="en" data-testid="mail-error">{m.lastError}</pre></Section>}
      <Section title={t('outbox.text')}>
        <p className="hint">{t('outbox.masked')}</p>
        <pre className="job-payload" lang={m.locale} data-testid="mail-text">{m.text}</pre>
      </Section>
    </Page>
  );
}
