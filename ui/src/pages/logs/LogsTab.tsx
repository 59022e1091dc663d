// A site's Logs tab: the last lines of its access or error log, or of its hosting's PHP error log,
// read on its web server when asked (never polled), filtered by a text, 50 to 1000 lines.
import { useState, type FormEvent } from 'react';
import type { Site } from '../../api/model.js';
import { LIVE, useGet } from '../../api/query.js';
import { Loaded, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

const KINDS = ['access', 'error', 'php'] as const;
const LINES = [50, 200, 1000] as const;
type Kind = (typeof KINDS)[number];

export function LogsTab({ site }: { site: Site }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('access');
  const [lines, setLines] = useState<number>(200);
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const answer = useGet('/sites/{id}/logs', { path: { id: site.id }, query: { kind, lines, ...(q ? { q } : {}) } }, { meta: LIVE, staleTime: 0, refetchOnWindowFocus: false });
  const filter = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim() === q) void answer.refetch();
    else setQ(draft.trim());
  };
  return (
    <Section title={t('logs.title')}
      actions={<button type="button" className="button" onClick={() => void answer.refetch()} disabled={answer.isFetching} data-testid="logs-refresh">{t('logs.refresh')}</button>}>
      <p className="hint">{t('logs.explained')}</p>
      <form className="log-toolbar" onSubmit={filter} role="search" aria-label={t('logs.title')}>
        <div className="field">
          <label htmlFor="logs-kind">{t('logs.kind')}</label>
          <select id="logs-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`logs.kind.${k}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="logs-lines">{t('logs.lines')}</label>
          <select id="logs-lines" value={lines} onChange={(e) => setLines(Number(e.target.value))}>
            {LINES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="logs-filter">{t('logs.filter')}</label>
          <input id="logs-filter" type="search" value={draft} maxLength={200} onChange={(e) => setDraft(e.target.value)} placeholder={t('logs.filterPlaceholder')} />
        </div>
        <button type="submit" className="button primary">{t('logs.apply')}</button>
      </form>
      <Loaded query={answer}>{(r) => <LogLines answer={r} filtered={!!q} />}</Loaded>
    </Section>
  );
}

type LogAnswer = { file: string; exists: boolean; lines: string[]; size: number; modifiedAt: string | null; complete: boolean };

function LogLines({ answer, filtered }: { answer: LogAnswer; filtered: boolean }) {
  const { t, fmt } = useI18n();
  if (!answer.exists) return <p data-testid="logs-empty">{t('logs.missing', { file: answer.file })}</p>;
  return (
    <>
      <p data-testid="logs-summary">
        {t('logs.summary', { file: answer.file, size: fmt.bytes(answer.size), when: fmt.dateTime(answer.modifiedAt) })}{' '}
        {t(filtered ? 'logs.countFiltered' : 'logs.count', { count: answer.lines.length })}
        {!answer.complete && <> {t('logs.partial')}</>}
      </p>
      {answer.lines.length
        ? <pre className="log-lines" data-testid="log-lines" tabIndex={0} aria-label={t('logs.linesLabel', { file: answer.file })}>{answer.lines.join('\n')}</pre>
        : <p data-testid="logs-empty">{t(filtered ? 'logs.noneMatching' : 'logs.none')}</p>}
    </>
  );
}
