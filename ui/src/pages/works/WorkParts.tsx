// What every works page shows: a work's state, what it affects, planned versus actual times, its
// history; the table of works (all for the staff, a customer's own, or a hosting's); the record.
import { Link } from '@tanstack/react-router';
import type { Work, WorkRecord, WorkState, WorkSummary } from '../../api/model.js';
import { useGet } from '../../api/query.js';
import { useList, type ListState } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Loaded, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

export function WorkStateBadge({ state }: { state: WorkState }) {
  const { t } = useI18n();
  return <span className={`badge badge-work-${state}`} data-testid="work-state">{t(`workState.${state}`)}</span>;
}

/** The work's title in the reader's language (the other one when left empty). */
export function useWorkText() {
  const { locale } = useI18n();
  return (text: { fr: string; en: string }) => (locale === 'fr' ? text.fr || text.en : text.en || text.fr);
}

export function useAffects() {
  const { t, tMaybe, fmt } = useI18n();
  return (w: WorkSummary) => w.affects.platform ? t('work.affectsPlatform')
    : fmt.list([...w.affects.roles.map((r) => t('work.affectsRole', { role: tMaybe(`serverRole.${r}`, r) })), ...w.affects.servers.map((s) => s.name ?? s.id)]);
}

/** "2 Dec 2026, 02:30 to 2 Dec 2026, 03:00 (30 minutes)" for the plan; the same for what happened, and whether the plan held. */
export function useWorkTimes() {
  const { t, fmt } = useI18n();
  return {
    planned: (w: WorkSummary) => (w.plannedStart && w.plannedEnd && w.plannedMinutes
      ? t('work.plannedLine', { start: fmt.dateTime(w.plannedStart), end: fmt.dateTime(w.plannedEnd), duration: t('work.minutes', { count: w.plannedMinutes }) }) : '—'),
    actual: (w: WorkSummary) => {
      if (!w.startedAt) return '—';
      if (!w.endedAt || w.actualMinutes === null) return t('work.since', { start: fmt.dateTime(w.startedAt) });
      const line = t('work.actualLine', { start: fmt.dateTime(w.startedAt), end: fmt.dateTime(w.endedAt), duration: t('work.minutes', { count: w.actualMinutes }) });
      return w.heldPlan === null ? line : `${line} — ${t(w.heldPlan ? 'work.held' : 'work.notHeld')}`;
    },
  };
}

export function WorkHistory({ work: w }: { work: Work }) {
  const { t, fmt } = useI18n();
  const text = useWorkText();
  const plan = (start: string | null, minutes: number | null) => (start ? `${fmt.dateTime(start)}${minutes ? ` (${t('work.minutes', { count: minutes })})` : ''}` : '—');
  return (
    <ol className="work-history" data-testid="work-history">
      {w.history.map((h, i) => (
        <li key={i}>
          <strong>{fmt.dateTime(h.at)}</strong> —{' '}
          {h.event === 'plan' ? t('work.event.plan', { from: plan(h.previousStart, h.previousMinutes), to: plan(h.plannedStart, h.plannedMinutes) })
            : h.event === 'state' && h.state ? t('work.event.state', { state: t(`workState.${h.state}`) }) : t(`work.event.${h.event}`)}
          {h.author && <span className="hint"> {t('work.by', { author: h.author })}</span>}
          {text(h.text) && <p>{text(h.text)}</p>}
        </li>
      ))}
    </ol>
  );
}

/** Every work (staff) or the caller's (customers). */
export function WorksTable({ filters }: { filters?: Record<string, string | undefined> }) {
  return <WorkRows list={useList('/works', { defaultSort: '-number', filters })} />;
}

/** The works affecting a hosting, in a section of their own; none, no section (nothing to read on most hostings). */
export function HostingWorksSection({ hostingId, title }: { hostingId: string; title: string }) {
  const list = useList('/hostings/{id}/works', { defaultSort: '-number', path: { id: hostingId } });
  if (!list.total && !list.query) return null;
  return <Section title={title}><WorkRows list={list} /></Section>;
}

function WorkRows({ list }: { list: ListState<WorkSummary> }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  const text = useWorkText();
  const times = useWorkTimes();
  const columns: Column<WorkSummary>[] = [
    { id: 'number', header: t('work.number'), sort: 'number', className: 'num', cell: (w) => fmt.number(w.number) },
    {
      id: 'title', header: t('work.titleCol'), rowHeader: true, className: 'wrap',
      cell: (w) => (isStaff ? <Link to="/staff/works/$work" params={{ work: String(w.number) }}>{text(w.title)}</Link>
        : <Link to="/works/$work" params={{ work: String(w.number) }}>{text(w.title)}</Link>),
    },
    { id: 'kind', header: t('work.kind'), cell: (w) => t(`workKind.${w.kind}`) },
    { id: 'state', header: t('work.state'), cell: (w) => <WorkStateBadge state={w.state} /> },
    { id: 'planned', header: t('work.planned'), className: 'wrap', cell: (w) => times.planned(w) },
    { id: 'actual', header: t('work.actual'), className: 'wrap', cell: (w) => times.actual(w) },
  ];
  return <DataTable list={list} columns={columns} caption={t('works.title')} rowKey={(w) => w.id} searchLabel={t('works.search')}
    empty={list.query ? t('table.noMatch') : isStaff ? t('works.none') : t('works.noneForYou')} />;
}

export function WorkRecordSection() {
  const { t, fmt } = useI18n();
  const answer = useGet('/works/record', {});
  return (
    <Section title={t('work.record')}>
      <Loaded query={answer}>{(r: WorkRecord) => (r.finished === 0 ? <p>{t('work.recordNone')}</p> : (
        <>
          <p data-testid="work-record">{t('work.recordLine', { held: r.held, finished: r.finished, share: fmt.percent(r.share ?? 0) })}</p>
          <table>
            <caption className="visually-hidden">{t('work.record')}</caption>
            <thead><tr><th scope="col">{t('work.month')}</th><th scope="col">{t('work.monthFinished')}</th><th scope="col">{t('work.monthHeld')}</th></tr></thead>
            <tbody>{r.months.map((m) => <tr key={m.month}><th scope="row">{m.month}</th><td>{fmt.number(m.finished)}</td><td>{fmt.number(m.held)}</td></tr>)}</tbody>
          </table>
        </>
      ))}</Loaded>
    </Section>
  );
}
