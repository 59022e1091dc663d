// Staff: a mail server's sending addresses (/staff/servers/<name>/mail-health) — their reverse DNS
// against the name the server greets with, whether that name resolves back to them, the DNS
// blocklists' answers — and what to fix, in the reader's language. "Check now" asks the DNS again.
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { change, useGet, type Answer } from '../../api/query.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { problemPhrase, reportPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';

const route = getRouteApi('/staff/servers/$server/mail-health');
type Health = Answer<'/servers/{id}/mail-health'>;

export function MailHealthPage() {
  const { server } = route.useParams();
  const answer = useGet('/servers/{id}/mail-health', { path: { id: server } });
  return <Loaded query={answer}>{(h) => <MailHealthView health={h} />}</Loaded>;
}

function MailHealthView({ health: h }: { health: Health }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Phrase | null>(null);
  const check = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await change('post', '/servers/{id}/mail-health', { path: { id: h.serverId } });
    } catch (e) {
      setFailure(problemPhrase(e, i18n));
    } finally {
      setBusy(false);
    }
  };
  const yes = (ok: boolean) => <span className={`badge badge-${ok ? 'live' : 'error'}`}>{t(ok ? 'mailHealth.yes' : 'mailHealth.no')}</span>;
  return (
    <Page title={t('mailHealth.title', { server: h.server })} crumbs={[<Link to="/staff/servers">{t('nav.servers')}</Link>]}
      subtitle={<span className={`badge badge-${h.status === 'ok' ? 'live' : h.status === 'problems' ? 'error' : 'pending'}`} data-testid="mail-health-status">{t(`mailHealth.status.${h.status}`)}</span>}
      actions={<button type="button" className="primary" onClick={check} disabled={busy}>{t('mailHealth.check')}</button>}>
      <p className="hint">{t('mailHealth.explained')}</p>
      {failure && <div className="notice notice-error" role="alert"><p><Say phrase={failure} /></p></div>}
      <dl className="facts">
        <dt>{t('mailHealth.helo')}</dt><dd>{h.helo ? <code>{h.helo}</code> : '—'}</dd>
        <dt>{t('mailHealth.checkedAt')}</dt><dd>{h.checkedAt ? fmt.dateTime(h.checkedAt) : t('mailHealth.never')}</dd>
        <dt>{t('mailHealth.blocklists')}</dt><dd>{h.blocklists.length ? h.blocklists.join(', ') : t('mailHealth.noBlocklist')}</dd>
      </dl>
      <Section title={t('mailHealth.toFix')}>
        {h.status === 'unchecked' ? <p>{t('mailHealth.notChecked')}</p> : h.problems.length ? (
          <ul data-testid="mail-health-problems">
            {h.problems.map((p, i) => <li key={i}><Say phrase={reportPhrase(p, i18n)!} /></li>)}
          </ul>
        ) : <p>{t('mailHealth.allGood')}</p>}
      </Section>
      {h.addresses.length > 0 && (
        <Section title={t('mailHealth.addresses')}>
          <TableScroll label={t('mailHealth.addresses')}>
            <table>
              <thead><tr>
                <th scope="col">{t('mailHealth.address')}</th><th scope="col">{t('mailHealth.ptr')}</th>
                <th scope="col">{t('mailHealth.ptrMatches')}</th><th scope="col">{t('mailHealth.forward')}</th><th scope="col">{t('mailHealth.blocklists')}</th>
              </tr></thead>
              <tbody>
                {h.addresses.map((a) => (
                  <tr key={a.address}>
                    <th scope="row"><code>{a.address}</code></th>
                    <td>{a.ptr.length ? a.ptr.join(', ') : '—'}</td>
                    <td>{yes(a.ptrMatches)}</td>
                    <td>{yes(a.forwardConfirmed)}</td>
                    <td className="wrap">{a.listings.length ? a.listings.map((l) => `${l.zone}: ${t(`mailHealth.listing.${l.status}`)}`).join(' · ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Section>
      )}
    </Page>
  );
}
