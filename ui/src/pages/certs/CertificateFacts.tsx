// A certificate's status in plain words, and its facts: issuer, names, validity, next renewal.
import type { Certificate } from '../../api/model.js';
import { useI18n } from '../../i18n/i18n.js';

/** True when a certificate for `names` is valid for `host` (exact, or a one-label wildcard). */
const covers = (names: string[], host: string) =>
  names.some((n) => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1)) && !host.slice(0, -(n.length - 1)).includes('.')));

export function CertificateBadge({ status }: { status: Certificate['status'] }) {
  const { t } = useI18n();
  return <span className={`badge badge-cert-${status}`} data-testid="certificate-status">{t(`certStatus.${status}`)}</span>;
}

export function CertificateStatus({ certificate: c }: { certificate: Certificate }) {
  const { t, fmt } = useI18n();
  const explained = {
    none: t('certStatus.noneExplained'),
    pending: t('certStatus.pendingExplained'),
    valid: c.source === 'custom'
      ? t('certStatus.validCustomExplained', { date: fmt.date(c.notAfter) })
      : c.renewAt
        ? t('certStatus.validExplained', { date: fmt.date(c.notAfter), renewal: fmt.date(c.renewAt) })
        : t('certStatus.validAutoExplained', { date: fmt.date(c.notAfter) }),
    failing: c.notAfter && new Date(c.notAfter).getTime() > Date.now()
      ? t('certStatus.failingStillServedExplained', { date: fmt.date(c.notAfter) })
      : t('certStatus.failingExplained'),
    expired: t('certStatus.expiredExplained', { date: fmt.date(c.notAfter) }),
  }[c.status];
  return (
    <div className={`certificate-status certificate-${c.status}`}>
      <p><CertificateBadge status={c.status} /> {c.source && <span className="hint">{t(`certSource.${c.source}`)}</span>}</p>
      <p data-testid="certificate-explained">{explained}</p>
    </div>
  );
}

/** `show` turns an ASCII (punycode) name into the one people read, when the page knows it. */
export function CertificateFacts({ certificate: c, show = (n) => n }: { certificate: Certificate; show?(name: string): string }) {
  const { t, fmt } = useI18n();
  const missing = c.names.length ? c.wanted.filter((w) => !covers(c.names, w)) : [];
  return (
    <dl className="facts">
      <dt>{t('certificate.wanted')}</dt>
      <dd>{c.wanted.map(show).join(', ') || '—'}</dd>
      {c.issuer && <><dt>{t('certificate.issuer')}</dt><dd>{c.issuer}</dd></>}
      {c.names.length > 0 && <><dt>{t('certificate.names')}</dt><dd>{c.names.map(show).join(', ')}</dd></>}
      {missing.length > 0 && <><dt>{t('certificate.missing')}</dt><dd className="error-text">{missing.map(show).join(', ')}</dd></>}
      {c.notBefore && <><dt>{t('certificate.notBefore')}</dt><dd>{fmt.date(c.notBefore)}</dd></>}
      {c.notAfter && <><dt>{t('certificate.notAfter')}</dt><dd data-testid="certificate-expiry">{fmt.date(c.notAfter)}</dd></>}
      {c.renewAt && c.source === 'acme' && <><dt>{t('certificate.renewAt')}</dt><dd>{fmt.date(c.renewAt)}</dd></>}
      {c.fingerprint && <><dt>{t('certificate.fingerprint')}</dt><dd><code>{c.fingerprint}</code></dd></>}
    </dl>
  );
}
