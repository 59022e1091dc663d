// Live DNS checks of a zone (GET /api/v1/zones/{id}/check): what each of the platform's name servers
// answers for a published zone, and, for a zone published elsewhere, the records to set there and
// whether the DNS answers them now.
import { useState } from 'react';
import type { Zone, ZoneCheck } from '../../api/model.js';
import { call, LIVE, useGet } from '../../api/query.js';
import { ErrorNotice, Notice } from '../../components/Notice.js';
import { TableScroll } from '../../components/TableScroll.js';
import { reportPhrase } from '../../i18n/errors.js';
import { Say, useI18n } from '../../i18n/i18n.js';

function Answer({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return <span className={`badge ${ok ? 'badge-live' : 'badge-error'}`}>{ok ? yes : no}</span>;
}

export function NameserverCheck({ zone }: { zone: Zone }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const [check, setCheck] = useState<{ answer: ZoneCheck; at: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setCheck({ answer: await call('get', '/zones/{id}/check', { path: { id: zone.id } }), at: new Date().toISOString() });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const servers = check?.answer.nameservers ?? [];
  return (
    <div className="zone-check">
      <button type="button" onClick={run} disabled={busy}>{t('nsCheck.run')}</button>
      <div role="status" aria-live="polite" className="check-status">
        {busy ? t('nsCheck.asking') : check ? t('nsCheck.askedAt', { when: fmt.dateTime(check.at) }) : ''}
      </div>
      {error !== null && <ErrorNotice error={error} />}
      {check && !busy && servers.length === 0 && <Notice kind="warning"><p>{t('nsCheck.noServer')}</p></Notice>}
      {check && servers.length > 0 && (
        <>
          <p className={check.answer.ok ? 'ok-text' : 'error-text'}>{check.answer.ok ? t('nsCheck.allOk') : t('nsCheck.notAllOk')}</p>
          <TableScroll label={t('nsCheck.caption')}>
            <table data-testid="nameserver-check">
              <caption className="visually-hidden">{t('nsCheck.caption')}</caption>
              <thead>
                <tr><th scope="col">{t('nsCheck.server')}</th><th scope="col">{t('nsCheck.role')}</th><th scope="col">{t('nsCheck.serial')}</th><th scope="col">{t('nsCheck.answer')}</th></tr>
              </thead>
              <tbody>
                {servers.map((s) => (
                  <tr key={`${s.role} ${s.server}`}>
                    <th scope="row"><code>{s.server}</code></th>
                    <td>{t(`nsRole.${s.role}`)}</td>
                    <td className="num">{s.serial ?? '—'}</td>
                    <td><Answer ok={s.ok} yes={t('nsCheck.ok')} no={t('nsCheck.notOk')} /> <NameserverAnswer report={s} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </div>
  );
}

/** What a name server answered, by its code when the API gives one. */
function NameserverAnswer({ report }: { report: ZoneCheck['nameservers'][number] }) {
  const i18n = useI18n();
  const phrase = reportPhrase(report, i18n);
  return phrase ? <Say phrase={phrase} /> : null;
}

export function RequiredRecords({ zone }: { zone: Zone }) {
  const { t, fmt } = useI18n();
  // asks the DNS of the world: refreshed when asked, not after every change
  const check = useGet('/zones/{id}/check', { path: { id: zone.id } }, { meta: LIVE, staleTime: 0 });
  const [at, setAt] = useState<string | null>(null);
  const recheck = async () => {
    await check.refetch();
    setAt(new Date().toISOString());
  };
  const required = check.data?.required ?? [];
  return (
    <div className="zone-check">
      <div role="status" aria-live="polite" className="check-status">
        {check.isFetching ? t('required.asking') : check.data ? (check.data.ok && required.length > 0 ? t('required.allSet') : required.length ? t('required.notAllSet') : '') : ''}
      </div>
      {check.error && <ErrorNotice error={check.error} />}
      {check.data && required.length === 0 && <Notice><p>{t('required.none')}</p></Notice>}
      {required.length > 0 && (
        <TableScroll label={t('required.caption', { zone: zone.nameUnicode })}>
          <table data-testid="required-records">
            <caption className="visually-hidden">{t('required.caption', { zone: zone.nameUnicode })}</caption>
            <thead>
              <tr><th scope="col">{t('record.name')}</th><th scope="col">{t('record.type')}</th><th scope="col">{t('record.content')}</th><th scope="col">{t('required.found')}</th></tr>
            </thead>
            <tbody>
              {required.map((r) => (
                <tr key={`${r.name} ${r.type} ${r.content}`}>
                  <th scope="row"><code>{r.name}</code></th>
                  <td><code>{r.type}</code></td>
                  <td><code>{r.content}</code></td>
                  <td>
                    <Answer ok={r.ok} yes={t('required.set')} no={t('required.notSet')} />
                    {!r.ok && r.found.length > 0 && <> {t('required.answers')} <code>{r.found.join(', ')}</code></>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {required.length > 0 && <p className="hint">{t('required.delay')}</p>}
      <button type="button" onClick={recheck} disabled={check.isFetching}>{t('required.run')}</button>
      {at && !check.isFetching && <span className="hint check-time"> {t('nsCheck.askedAt', { when: fmt.dateTime(at) })}</span>}
    </div>
  );
}
