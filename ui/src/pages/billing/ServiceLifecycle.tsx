// A hosting's service, what comes next: its end (at term or early, cancellable until its day, with
// the date) and a change of offer, previewed with its amounts before it is confirmed.
import { useId, useState } from 'react';
import type { Hosting, Service } from '../../api/model.js';
import { ApiError } from '../../api/client.js';
import { call, change } from '../../api/query.js';
import { useOffers } from '../../api/offers.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Section } from '../../components/Page.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { lastDay } from './InvoicesTable.js';

type Preview = Awaited<ReturnType<typeof previewOf>>;
const previewOf = (id: string, offer: string) => call('get', '/hostings/{id}/offer-change', { path: { id }, query: { offer } });
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

export function ServiceLifecycle({ hosting, service }: { hosting: Hosting; service: Service }) {
  const { isStaff, isOwner, canChange } = useSession();
  if (hosting.status === 'terminated') return null;
  return (
    <>
      {(isStaff || (isOwner(hosting.customerId) && hosting.status === 'active')) && <EndOfService hosting={hosting} service={service} />}
      {canChange(hosting.customerId) && hosting.status === 'active' && <OfferChange hosting={hosting} service={service} />}
    </>
  );
}

function EndOfService({ hosting: h, service: s }: { hosting: Hosting; service: Service }) {
  const { t, fmt } = useI18n();
  const id = h.id;
  if (s.ending) {
    return (
      <Section title={t('lifecycle.endTitle')}>
        <p className="notice notice-warning" data-testid="service-ending">
          <strong>{t('lifecycle.endsOn', { date: fmt.date(s.ending.on) })}</strong> — {t(`lifecycle.mode.${s.ending.mode}`)}. {t('lifecycle.requestedAt', { date: fmt.dateTime(s.ending.requestedAt) })}
        </p>
        <ConfirmButton label={t('lifecycle.cancelEnd')} title={t('lifecycle.cancelEndTitle', { name: h.name })} confirmLabel={t('lifecycle.cancelEnd')} danger={false}
          onConfirm={async () => { await change('delete', '/hostings/{id}/service/end', { path: { id } }); }}>
          <p>{t('lifecycle.cancelEndExplained', { date: fmt.date(s.ending.on) })}</p>
        </ConfirmButton>
      </Section>
    );
  }
  const term = s.dueDate ?? tomorrow();
  return (
    <Section title={t('lifecycle.endTitle')}>
      <p className="hint">{t('lifecycle.renews')}</p>
      <div className="form-actions">
        <ConfirmButton label={t('lifecycle.endAtTerm')} title={t('lifecycle.endAtTermTitle', { name: h.name })} confirmLabel={t('lifecycle.confirmEnd')}
          onConfirm={async () => { await change('post', '/hostings/{id}/service/end', { path: { id }, body: { mode: 'term' } }); }}>
          <p>{t('lifecycle.endAtTermExplained', { date: fmt.date(term) })}</p>
          <p>{t('lifecycle.endKeeps')}</p>
        </ConfirmButton>
        <ConfirmButton label={t('lifecycle.endEarly')} title={t('lifecycle.endEarlyTitle', { name: h.name })} confirmLabel={t('lifecycle.confirmEnd')}
          onConfirm={async () => { await change('post', '/hostings/{id}/service/end', { path: { id }, body: { mode: 'early' } }); }}>
          <p>{t('lifecycle.endEarlyExplained', { date: fmt.date(tomorrow()) })}</p>
          <p>{t('lifecycle.endKeeps')}</p>
        </ConfirmButton>
      </div>
    </Section>
  );
}

function OfferChange({ hosting: h, service: s }: { hosting: Hosting; service: Service }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { isStaff } = useSession();
  const { offers } = useOffers();
  const selectId = useId();
  const choices = offers.filter((o) => o.id !== s.offerId && !o.archived && (isStaff || o.selfService));
  const [offer, setOffer] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<{ phrase: Phrase; misfits: Phrase[] } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = async (run: () => Promise<void>) => {
    setProblem(null);
    setBusy(true);
    try {
      await run();
    } catch (e) {
      const misfits = e instanceof ApiError ? e.errors.filter((x) => x.code === 'offer_change.does_not_fit').map((x) => i18n.phrase(`lifecycle.misfit.${String(x.params?.what)}`, x.message, x.params ?? {})) : [];
      setProblem({ phrase: problemPhrase(e, i18n), misfits });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('lifecycle.changeTitle')}>
      <p className="hint">{t('lifecycle.changeExplained')}</p>
      {choices.length === 0 ? <p>{t('lifecycle.noOffer')}</p> : (
        <div className="field-row">
          <div className="field">
            <label htmlFor={selectId}>{t('lifecycle.newOffer')}</label>
            <select id={selectId} value={offer} onChange={(e) => { setOffer(e.target.value); setPreview(null); setDone(null); setProblem(null); }}>
              <option value="" />
              {choices.map((o) => <option key={o.id} value={o.id}>{o.name} — {i18n.fmt.money(o.priceCents, o.currency)} / {t(`cycle.${o.billingCycle}`)}</option>)}
            </select>
          </div>
          <div className="form-actions">
            <button type="button" disabled={!offer || busy} onClick={() => void attempt(async () => setPreview(await previewOf(h.id, offer)))}>{t('lifecycle.preview')}</button>
          </div>
        </div>
      )}
      {problem && (
        <div className="notice notice-error" role="alert">
          <p><Say phrase={problem.phrase} /></p>
          {problem.misfits.length > 0 && <><p>{t('lifecycle.doesNotFit')}</p><ul>{problem.misfits.map((m, n) => <li key={n}><Say phrase={m} /></li>)}</ul></>}
        </div>
      )}
      {done && <p className="notice notice-success" role="status">{t('lifecycle.changed', { offer: done })}</p>}
      {preview && (
        <div data-testid="offer-change-preview">
          <h3>{t('lifecycle.previewTitle', { offer: preview.to.offer })}</h3>
          <PreviewFacts preview={preview} />
          <div className="form-actions">
            <button type="button" className="primary" disabled={busy}
              onClick={() => void attempt(async () => {
                const r = await change('post', '/hostings/{id}/offer-change', { path: { id: h.id }, body: { offer: preview.to.offerId } });
                setPreview(null);
                setOffer('');
                setDone(r.to.offer);
              })}>
              {t('lifecycle.confirmChange', { offer: preview.to.offer })}
            </button>
          </div>
        </div>
      )}
    </Section>
  );
}

function PreviewFacts({ preview: p }: { preview: Preview }) {
  const { t, fmt } = useI18n();
  const money = (c: number) => fmt.money(c, p.currency);
  if (!p.billed) return <p className="hint">{t('lifecycle.notBilled')}</p>;
  return (
    <dl className="facts">
      {p.credit && <><dt>{t('lifecycle.credit', { days: p.credit.unusedDays, period: p.credit.periodDays, invoice: p.credit.invoice })}</dt><dd>{money(p.credit.totalCents)}</dd></>}
      {p.charge && <><dt>{t('lifecycle.charge', { offer: p.to.offer, from: fmt.date(p.charge.periodStart), to: fmt.date(lastDay(p.charge.periodEnd)), days: p.charge.days, cycleDays: p.charge.cycleDays })}</dt><dd>{money(p.charge.totalCents)}</dd></>}
      <dt>{t('lifecycle.balance')}</dt><dd><strong>{money(p.balanceCents)}</strong></dd>
      {p.renewal && <><dt>{t('lifecycle.renewal', { invoice: p.renewal.invoice, amount: money(p.renewal.newTotalCents) })}</dt><dd /></>}
    </dl>
  );
}
