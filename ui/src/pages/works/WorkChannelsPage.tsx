// Staff: the channels told about every work event (/staff/work-channels) — signed webhooks and
// Mastodon accounts, their secret written once and never shown — and what was delivered to them,
// each delivery with its state and last error ("Try again" for one that failed).
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { change, useGet, type Answer } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { SelectField, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Page, Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';
import { firstLine } from '../staff/JobsPage.js';

type Channel = Answer<'/work-channels'>['items'][number];
type Delivery = Answer<'/work-deliveries'>['items'][number];
type DeliveryStatus = Delivery['status'];
const kinds: Array<Channel['kind']> = ['webhook', 'mastodon'];
const statuses: DeliveryStatus[] = ['queued', 'sent', 'failed'];

function DeliveryBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-mail-${status}`} data-testid="delivery-status">{t(`workChannels.status.${status}`)}</span>;
}

export function WorkChannelsPage() {
  const { t } = useI18n();
  return (
    <Page title={t('workChannels.title')} crumbs={[<Link to="/staff/works" activeOptions={{ exact: true }}>{t('works.title')}</Link>]}>
      <p className="hint">{t('workChannels.explained')}</p>
      <ChannelsSection />
      <NewChannelSection />
      <DeliveriesSection />
    </Page>
  );
}

function ChannelsSection() {
  const { t, fmt } = useI18n();
  const channels = useGet('/work-channels', {});
  const toggle = (c: Channel) => change('patch', '/work-channels/{id}', { path: { id: c.id }, body: { enabled: !c.enabled } });
  const items = channels.data?.items ?? [];
  return (
    <Section title={t('workChannels.list')}>
      {!items.length ? <p>{t('workChannels.none')}</p> : (
        <TableScroll label={t('workChannels.list')}>
          <table>
            <caption className="visually-hidden">{t('workChannels.list')}</caption>
            <thead>
              <tr><th scope="col">{t('field.name')}</th><th scope="col">{t('workChannels.kind')}</th><th scope="col">{t('workChannels.url')}</th>
                <th scope="col">{t('workChannels.lastDelivery')}</th><th scope="col"><span className="visually-hidden">{t('field.actions')}</span></th></tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-testid="work-channel">
                  <th scope="row">{c.name}{!c.enabled && <> <span className="badge">{t('workChannels.disabled')}</span></>}</th>
                  <td>{t(`workChannels.kind.${c.kind}`)}{c.kind === 'mastodon' && ` (${c.locale})`}</td>
                  <td className="wrap"><code>{c.url}</code></td>
                  <td className="wrap">{c.lastDelivery ? <><DeliveryBadge status={c.lastDelivery.status} /> {fmt.dateTime(c.lastDelivery.at)}
                    {c.lastDelivery.lastError && <><br /><span className="error-text" lang="en">{firstLine(c.lastDelivery.lastError)}</span></>}</> : '—'}</td>
                  <td className="actions">
                    <button type="button" onClick={() => toggle(c)} aria-label={`${t(c.enabled ? 'workChannels.disable' : 'workChannels.enable')} ${c.name}`}>
                      {t(c.enabled ? 'workChannels.disable' : 'workChannels.enable')}
                    </button>
                    <ConfirmButton label={t('workChannels.remove')} accessibleLabel={`${t('workChannels.remove')} ${c.name}`} title={t('workChannels.removeTitle', { name: c.name })}
                      confirmLabel={t('workChannels.remove')} danger onConfirm={async () => void (await change('delete', '/work-channels/{id}', { path: { id: c.id } }))}>
                      <p>{t('workChannels.removeExplained')}</p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Section>
  );
}

function NewChannelSection() {
  const { t } = useI18n();
  const empty = { kind: 'webhook', name: '', url: '', secret: '', locale: 'en' };
  const form = useForm(empty);
  const [added, setAdded] = useState<string | null>(null);
  const submit = async (v: typeof empty) => {
    setAdded(null);
    const c = await change('post', '/work-channels', { body: { kind: v.kind as Channel['kind'], name: v.name, url: v.url, secret: v.secret, locale: v.locale as Channel['locale'] } });
    form.reset(empty);
    setAdded(c.name);
  };
  const mastodon = form.values.kind === 'mastodon';
  return (
    <Section title={t('workChannels.add')}>
      {added && <p role="status" className="notice notice-success">{t('workChannels.added', { name: added })}</p>}
      <Form form={form} onSubmit={submit} submitLabel={t('workChannels.addSubmit')} label={t('workChannels.add')}>
        <SelectField name="kind" label={t('workChannels.kind')} options={kinds.map((k) => ({ value: k, label: t(`workChannels.kind.${k}`) }))} />
        <TextField name="name" label={t('field.name')} required />
        <TextField name="url" label={t(mastodon ? 'workChannels.instance' : 'workChannels.url')} hint={t(mastodon ? 'workChannels.instanceHint' : 'workChannels.urlHint')} required />
        <TextField name="secret" type="password" autoComplete="off" label={t(mastodon ? 'workChannels.token' : 'workChannels.secret')}
          hint={t(mastodon ? 'workChannels.tokenHint' : 'workChannels.secretHint')} required />
        {mastodon && <SelectField name="locale" label={t('workChannels.locale')} options={[{ value: 'fr', label: 'Français' }, { value: 'en', label: 'English' }]} />}
      </Form>
    </Section>
  );
}

function DeliveriesSection() {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [outcome, setOutcome] = useState<Phrase | null>(null);
  const list = useList('/work-deliveries', { defaultSort: '-createdAt', filters: { status: status || undefined } });
  const retry = async (d: Delivery) => {
    setOutcome(null);
    try {
      await change('post', '/work-deliveries/{id}/retry', { path: { id: d.id } });
    } catch (e) {
      setOutcome(problemPhrase(e, i18n));
    }
  };
  const columns: Column<Delivery>[] = [
    { id: 'createdAt', header: t('workChannels.createdAt'), sort: 'createdAt', className: 'nowrap', cell: (d) => fmt.dateTime(d.createdAt) },
    { id: 'channel', header: t('workChannels.channel'), rowHeader: true, cell: (d) => d.channel.name },
    { id: 'work', header: t('workChannels.work'), cell: (d) => <Link to="/staff/works/$work" params={{ work: String(d.workNumber) }}>#{d.workNumber}</Link> },
    { id: 'event', header: t('workChannels.event'), cell: (d) => t(`workChannels.event.${d.event}`) },
    { id: 'status', header: t('field.status'), sort: 'status', cell: (d) => <DeliveryBadge status={d.status} /> },
    { id: 'attempts', header: t('workChannels.attempts'), sort: 'attempts', className: 'num', cell: (d) => fmt.number(d.attempts) },
    { id: 'lastError', header: t('workChannels.lastError'), className: 'wrap', cell: (d) => (d.lastError ? <span className="error-text" lang="en">{firstLine(d.lastError)}</span> : '—') },
    { id: 'retry', header: t('field.actions'), cell: (d) => (d.status === 'sent' ? '' : <button type="button" onClick={() => retry(d)}>{t('workChannels.retry')}</button>) },
  ];
  const toolbar = (
    <div className="search filter">
      <label htmlFor="deliveries-status">{t('field.status')}</label>
      <select id="deliveries-status" value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}>
        <option value="">{t('works.all')}</option>
        {statuses.map((s) => <option key={s} value={s}>{t(`workChannels.status.${s}`)}</option>)}
      </select>
    </div>
  );
  return (
    <Section title={t('workChannels.deliveries')}>
      {outcome && <div className="notice notice-error" role="alert"><p><Say phrase={outcome} /></p></div>}
      <DataTable list={list} columns={columns} caption={t('workChannels.deliveries')} rowKey={(d) => d.id} searchLabel={t('workChannels.search')} toolbar={toolbar}
        empty={list.query || status ? t('table.noMatch') : t('workChannels.noDeliveries')} />
    </Section>
  );
}
