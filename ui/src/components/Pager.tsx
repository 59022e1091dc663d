// First / previous / next / last page buttons with "page N of M".
import type { ListState } from '../api/use-list.js';
import { useI18n } from '../i18n/i18n.js';

export function Pager({ list }: { list: ListState<unknown> }) {
  const { t, fmt } = useI18n();
  if (list.pageCount <= 1) return null;
  const atStart = list.page <= 1;
  const atEnd = list.page >= list.pageCount;
  return (
    <nav className="pager" aria-label={t('table.pages')}>
      <button type="button" onClick={list.first} disabled={atStart}>{t('table.first')}</button>
      <button type="button" onClick={list.previous} disabled={atStart}>{t('table.previous')}</button>
      <span className="pager-position" data-testid="pager-position">
        {t('table.pageOf', { page: fmt.number(list.page), count: fmt.number(list.pageCount) })}
      </span>
      <button type="button" onClick={list.next} disabled={atEnd}>{t('table.next')}</button>
      <button type="button" onClick={list.last} disabled={atEnd}>{t('table.last')}</button>
    </nav>
  );
}
