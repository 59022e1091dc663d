// The site's Certificate tab: the status in plain words (none, being obtained, valid until…,
// failing and why, expired), where it is deployed, renew now, upload one's own certificate, and go
// back to automatic certificates. Asks again every few seconds while a certificate is being obtained
// or deployed.
import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { Certificate, Hosting, Site } from '../../api/types.js';
import { useResource } from '../../api/use-resource.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorNotice, Notice } from '../../components/Notice.js';
import { Loaded, Section } from '../../components/Page.js';
import { ProvisioningServers, ProvisioningState } from '../../components/Status.js';
import { certificateMessage } from '../../i18n/agent-messages.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { CertificateFacts, CertificateStatus } from './CertificateFacts.js';
import { CertificateUpload } from './CertificateUpload.js';

export const POLL_MS = 3000;

export function CertificateTab({ site }: { site: Site }) {
  const path = `/api/v1/sites/${site.id}/certificate`;
  const certificate = useResource<Certificate>(path);
  // being obtained, or being deployed on the edges: the answer changes by itself soon
  const pending = certificate.data?.status === 'pending' || certificate.data?.provisioning?.status === 'pending';
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void certificate.reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [pending, certificate.reload]);
  return <Loaded resource={certificate}>{(c) => <CertificateView site={site} certificate={c} changed={certificate.set} />}</Loaded>;
}

function CertificateView({ site, certificate: c, changed }: { site: Site; certificate: Certificate; changed(c: Certificate): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const hosting = useResource<Hosting>(`/api/v1/hostings/${site.hostingId}`);
  const writable = !!hosting.data && hosting.data.status !== 'terminated' && session.canChange(hosting.data.customerId);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const renew = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      changed(await api<Certificate>('POST', `/api/v1/sites/${site.id}/certificate/renew`));
      setDone(t('certificate.renewAsked'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const backToAutomatic = async () => {
    changed(await api<Certificate>('DELETE', `/api/v1/sites/${site.id}/certificate`));
    setError(null);
    setDone(t('certificate.automaticAgain'));
  };

  if (c.status === 'none') {
    return (
      <Notice title={t('certStatus.none')}>
        <p>{t('certificate.httpOnly', { mode: t(`https.${site.httpsMode}`) })}</p>
        {writable && <p><Link to={`/sites/${site.id}/edit`}>{t('certificate.chooseHttps')}</Link></p>}
      </Notice>
    );
  }
  const custom = c.source === 'custom';
  const names = new Map([[site.domain, site.domainUnicode], ...site.aliases.map((a, i) => [a, site.aliasesUnicode[i] ?? a] as [string, string])]);
  const show = (n: string) => names.get(n) ?? n;
  return (
    <>
      <Section title={t('certificate.status')}>
        <CertificateStatus certificate={c} />
        <CertificateFacts certificate={c} show={show} />
        {(c.status === 'failing' || c.status === 'pending') && <Attempts certificate={c} show={show} />}
      </Section>
      {c.provisioning && (
        <Section title={t('certificate.deployed')}>
          <p className="hint">{t('certificate.deployedExplained')}</p>
          <ProvisioningState provisioning={c.provisioning} detailed />
          <ProvisioningServers provisioning={c.provisioning} />
        </Section>
      )}
      {done && <Notice kind="success"><p>{done}</p></Notice>}
      {error !== null && <ErrorNotice error={error} />}
      {writable && (
        <Section title={t('certificate.actions')}>
          {!custom && (
            <div className="action-block">
              <button type="button" onClick={renew} disabled={busy}>{t('certificate.renew')}</button>
              <p className="hint">{t('certificate.renewExplained')}</p>
            </div>
          )}
          {custom && (
            <div className="action-block">
              <ConfirmButton label={t('certificate.backToAutomatic')} title={t('certificate.backToAutomaticTitle', { domain: site.domainUnicode })}
                confirmLabel={t('certificate.backToAutomaticConfirm')} onConfirm={backToAutomatic}>
                <p>{t('certificate.backToAutomaticLoses')}</p>
              </ConfirmButton>
              <p className="hint">{t('certificate.backToAutomaticExplained')}</p>
            </div>
          )}
          <CertificateUpload site={site} replacing={custom} uploaded={(u) => { changed(u); setError(null); setDone(t('certificate.uploaded')); }} />
        </Section>
      )}
      <p className="hint">{t('certificate.mode', { mode: t(`https.${site.httpsMode}`) })}</p>
      {c.lastError && c.status === 'valid' && !custom && (
        <p className="hint">{t('certificate.lastRenewalError', { error: certificateMessage(c.lastError, i18n) })}</p>
      )}
    </>
  );
}

/** Why a certificate is not there yet: the names that cannot be validated, the last error, the next attempt. */
function Attempts({ certificate: c, show }: { certificate: Certificate; show(name: string): string }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  // the last error often repeats the problems' reasons: shown once
  const repeated = !!c.lastError && c.problems.some((p) => c.lastError!.includes(p.reason));
  return (
    <div className="attempts">
      {c.problems.length > 0 && (
        <>
          <p>{t('certificate.problems')}</p>
          <ul className="problems" data-testid="certificate-problems">
            {c.problems.map((p) => (
              <li key={p.name}><code>{show(p.name)}</code> — {certificateMessage(p.reason, i18n)}</li>
            ))}
          </ul>
        </>
      )}
      {c.lastError && !repeated && (
        <p data-testid="certificate-error"><strong>{t('certificate.lastError')}</strong> {certificateMessage(c.lastError, i18n)}</p>
      )}
      {c.failures > 0 && <p>{t('certificate.failures', { count: fmt.number(c.failures) })}</p>}
      {c.lastAttemptAt && <p>{t('certificate.lastAttempt', { when: fmt.dateTime(c.lastAttemptAt) })}</p>}
      {c.nextAttemptAt && (
        <p>{new Date(c.nextAttemptAt).getTime() > Date.now() ? t('certificate.nextAttempt', { when: fmt.dateTime(c.nextAttemptAt) }) : t('certificate.nextAttemptSoon')}</p>
      )}
    </div>
  );
}
