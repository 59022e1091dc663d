// The frame of a page: its title (focused after navigation, for screen readers and keyboards),
// breadcrumbs, actions, and the loading / not-found / error states every page shares.
import { useEffect, useRef, type ReactNode } from 'react';
import type { Resource } from '../api/use-resource.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { ErrorNotice } from './Notice.js';

export interface Crumb {
  label: string;
  to: string;
}

export function Page(props: { title: string; crumbs?: Crumb[]; actions?: ReactNode; children?: ReactNode; subtitle?: ReactNode }) {
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
            {props.crumbs.map((c) => (
              <li key={c.to}><Link to={c.to}>{c.label}</Link></li>
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

/** Renders a resource's loading, not-found and error states, or its content once loaded. */
export function Loaded<T>({ resource, children }: { resource: Resource<T>; children(data: T): ReactNode }) {
  const { t } = useI18n();
  if (resource.error?.notFound) return <NotFound />;
  if (resource.error) return <ErrorNotice error={resource.error} />;
  if (!resource.data) return <p role="status" className="loading">{t('table.loading')}</p>;
  return <>{children(resource.data)}</>;
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
