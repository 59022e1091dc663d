// The frame of a page: its title (focused after navigation, for screen readers and keyboards),
// breadcrumbs, actions, and the loading / not-found / error states every page shares.
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import type { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorNotice } from './Notice.js';

export function Page(props: { title: string; crumbs?: ReactElement[]; actions?: ReactNode; children?: ReactNode; subtitle?: ReactNode }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Abri`;
  }, [props.title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      {props.crumbs && props.crumbs.length > 0 && (
        <nav className="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
          <ol>
            {props.crumbs.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ol>
        </nav>
      )}
      <div className="page-header">
        <div>
          <h1 ref={heading} tabIndex={-1}>{props.title}</h1>
          {props.subtitle && <p className="subtitle">{props.subtitle}</p>}
        </div>
        {props.actions && <div className="page-actions">{props.actions}</div>}
      </div>
      {props.children}
    </>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <p><Link to="/">{t('notFound.home')}</Link></p>
    </Page>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <p role="status" className="loading">{t('table.loading')}</p>;
}

/** What a query gives a page: its data once loaded, or its error. */
export interface Loadable<T> {
  data: T | undefined;
  error: ApiError | null;
}

/** Renders a query's loading, not-found and error states, or its content once loaded. */
export function Loaded<T>({ query, children }: { query: Loadable<T>; children(data: T): ReactNode }) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error?.notFound) return <NotFound />;
  if (query.error) return <ErrorNotice error={query.error} />;
  return <Loading />;
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="section" aria-label={title}>
      <div className="section-header">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
