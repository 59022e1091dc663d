// The site's Certificate tab: the status in plain words (none, being obtained, valid until…,
// failing and why, expired), where it is deployed, renew now, upload one's own certificate, and go
// back to automatic certificates. Asks again every few seconds while a certificate is being obtained
// or deployed.
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Certificate, Site } from '../../api/model.js';
import { usePlatform } from '../../api/platform.js';
import { change, getQuery, queryClient, useGet } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorNotice, Notice } from '../../components/Notice.js';
import { Loaded, Section } from '../../components/Page.js';
import { ProvisioningServers, ProvisioningState } from '../../components/Status.js';
import { reportPhrase } from '../../i18n/errors.js';
import { Say, useI18n } from '../../i18n/i18n.js';
import { useSiteWritable } from '../site-writable.js';
import { CertificateFacts, CertificateStatus } from './CertificateFacts.js';
import { CertificateUpload } from './CertificateUpload.js';

export const POLL_MS = 3000;

const certificateOf = (site: Site) => getQuery('/sites/{id}/certificate', { path: { id: site.id } });

export function CertificateTab({ site }: { site: Site }) {
  const certificate = useGet('/sites/{id}/certificate', { path: { id: site.id } }, {
    // being obtained, or being deployed on the edges: the answer changes by itself soon
    refetchInterval: (q) => (q.state.data?.status === 'pending' || q.state.data?.provisioning?.status === 'pending' ? POLL_MS : false),
  });
  return <Loaded query={certificate}>{(c) => <CertificateView site={site} certificate={c} />}</Loaded>;
}

/** A certificate's reason (a problem of one name, its last error): by code when the API gives one. */
function Reason({ report }: { report: { message: string | null; code?: unknown; params?: unknown } }) {
  const i18n = useI18n();
  const phrase = reportPhrase(report, i18n);
  return phrase ? <Say phrase={phrase} /> : null;
}

function CertificateView({ site, certificate: c }: { site: Site; certificate: Certificate }) {
  const { t } = useI18n();
  const writable = useSiteWritable(site);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const changed = (next: Certificate, message: string) => {
    queryClient.setQueryData(certificateOf(site).queryKey, next);
    setError(null);
    setDone(message);
  };

  const renew = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      changed(await change('post', '/sites/{id}/certificate/renew', { path: { id: site.id } }), t('certificate.renewAsked'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const backToAutomatic = async () => changed(await change('delete', '/sites/{id}/certificate', { path: { id: site.id } }), t('certificate.automaticAgain'));

  if (c.status === 'none') {
    return (
      <Notice title={t('certStatus.none')}>
        <p>{t('certificate.httpOnly', { mode: t(`https.${site.httpsMode}`) })}</p>
        {writable && <p><Link to="/sites/$site/edit" params={{ site: site.domain }}>{t('certificate.chooseHttps')}</Link></p>}
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
          <CertificateUpload site={site} replacing={custom} uploaded={(u) => changed(u, t('certificate.uploaded'))} />
        </Section>
      )}
      <p className="hint">{t('certificate.mode', { mode: t(`https.${site.httpsMode}`) })}</p>
      {c.lastError && c.status === 'valid' && !custom && (
        <p className="hint">{t('certificate.lastRenewalError')} <Reason report={{ message: c.lastError }} /></p>
      )}
    </>
  );
}

/** Why a certificate is not there yet: the names that cannot be validated, the last error, the next attempt. */
function Attempts({ certificate: c, show }: { certificate: Certificate; show(name: string): string }) {
  const { t, fmt } = useI18n();
  const platform = usePlatform();
  // the last error often repeats the problems' reasons: shown once
  const repeated = !!c.lastError && c.problems.some((p) => c.lastError!.includes(p.reason));
  return (
    <div className="attempts">
      {c.problems.length > 0 && (
        <>
          <p>{t('certificate.problems')}</p>
          <ul className="problems" data-testid="certificate-problems">
            {c.problems.map((p) => (
              <li key={p.name}><code>{show(p.name)}</code> — <Reason report={{ ...p, message: p.reason }} /></li>
            ))}
          </ul>
          {/* the checks ask the DNS of the world, not the zones: a zone's records count once the domain is delegated */}
          <p className="hint" data-testid="certificate-public-dns">
            {t('certificate.publicDns', { nameservers: platform?.nameservers.length ? platform.nameservers : ['—'] })}
          </p>
        </>
      )}
      {c.lastError && !repeated && (
        <p data-testid="certificate-error"><strong>{t('certificate.lastError')}</strong> <Reason report={{ message: c.lastError }} /></p>
      )}
      {c.failures > 0 && <p>{t('certificate.failures', { count: fmt.number(c.failures) })}</p>}
      {c.lastAttemptAt && <p>{t('certificate.lastAttempt', { when: fmt.dateTime(c.lastAttemptAt) })}</p>}
      {c.nextAttemptAt && (
        <p>{new Date(c.nextAttemptAt).getTime() > Date.now() ? t('certificate.nextAttempt', { when: fmt.dateTime(c.nextAttemptAt) }) : t('certificate.nextAttemptSoon')}</p>
      )}
    </div>
  );
}
