// The mailboxes and aliases of one mail domain, in a hosting's Mail tab: each mailbox's space and
// what it uses (measured by the mail server), its state on the server, a new password (shown once)
// and removal; the aliases with where they forward; and the forms that create both.
import { useState } from 'react';
import type { MailAlias, Mailbox, MailDomain } from '../../api/model.js';
import { change } from '../../api/query.js';
import { useList } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { TextField } from '../../components/fields.js';
import { Form, issue, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { ProvisioningState } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { AppPasswordsSection } from './AppPasswordsSection.js';

interface Secret { name: string; password: string }
const LOCAL = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const MB = 1024 * 1024;

export function MailboxesSection({ domain, writable }: { domain: MailDomain; writable: boolean }) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<Secret | null>(null);
  const [apps, setApps] = useState<Mailbox | null>(null);
  return (
    <>
      <Section title={t('mailbox.title', { domain: domain.name })}>
        {secret && <SecretOnce label={t('mailTab.passwordOf', { name: secret.name })} value={secret.password} note={t('mailTab.passwordOnce')} />}
        <MailboxesTable domain={domain} writable={writable} onSecret={setSecret} onApps={setApps} />
        {writable && <MailboxForm domain={domain} onSecret={setSecret} />}
      </Section>
      {apps && <AppPasswordsSection key={apps.id} mailbox={apps} writable={writable} />}
      <Section title={t('mailAlias.title', { domain: domain.name })}>
        <AliasesTable domain={domain} writable={writable} />
        {writable && <AliasForm domain={domain} />}
      </Section>
    </>
  );
}

function MailboxesTable({ domain, writable, onSecret, onApps }: { domain: MailDomain; writable: boolean; onSecret(s: Secret): void; onApps(b: Mailbox): void }) {
  const { t, fmt } = useI18n();
  const list = useList('/mail-domains/{id}/mailboxes', { defaultSort: 'localPart', path: { id: domain.id } });
  const columns: Column<Mailbox>[] = [
    { id: 'address', header: t('mailbox.address'), sort: 'localPart', rowHeader: true, className: 'nowrap', cell: (b) => <code>{b.address}</code> },
    { id: 'quota', header: t('mailbox.quota'), sort: 'quotaMb', cell: (b) => fmt.bytes(b.quotaMb * MB) },
    { id: 'used', header: t('mailbox.used'), cell: (b) => (b.usedBytes === null ? t('mailbox.notMeasured') : <meter min={0} max={b.quotaMb * MB} value={b.usedBytes} title={fmt.bytes(b.usedBytes)}>{fmt.bytes(b.usedBytes)}</meter>) },
    { id: 'enabled', header: t('mailbox.colEnabled'), cell: (b) => (b.locked ? t('mailbox.locked') : b.enabled ? t('mailbox.enabled') : t('mailbox.disabled')) },
    { id: 'state', header: t('mailbox.colState'), cell: (b) => <ProvisioningState provisioning={b.provisioning} /> },
  ];
  const appsButton = (b: Mailbox) => <button type="button" className="secondary" aria-label={t('appPassword.openFor', { name: b.address })} onClick={() => onApps(b)}>{t('appPassword.open')}</button>;
  if (!writable) columns.push({ id: 'actions', header: t('field.actions'), cell: appsButton });
  if (writable) {
    columns.push({
      id: 'actions', header: t('field.actions'),
      cell: (b) => (
        <div className="row-actions">
          {appsButton(b)}
          <ConfirmButton label={t('mailbox.reset')} accessibleLabel={t('mailbox.resetFor', { name: b.address })} title={t('mailbox.resetTitle', { name: b.address })}
            confirmLabel={t('mailbox.resetConfirm')} danger={false}
            onConfirm={async () => {
              const made = await change('post', '/mailboxes/{id}/password', { path: { id: b.id }, body: {} });
              onSecret({ name: made.address, password: made.newPassword ?? '' });
            }}>
            <p>{t('mailbox.resetLoses', { name: b.address })}</p>
          </ConfirmButton>
          <ConfirmButton label={t('mailbox.remove')} accessibleLabel={t('mailbox.removeFor', { name: b.address })} title={t('mailbox.removeTitle', { name: b.address })}
            confirmLabel={t('mailbox.removeConfirm')} onConfirm={async () => void (await change('delete', '/mailboxes/{id}', { path: { id: b.id } }))}>
            <p>{t('mailbox.removeLoses', { name: b.address })}</p>
          </ConfirmButton>
        </div>
      ),
    });
  }
  return <DataTable list={list} columns={columns} caption={t('mailbox.title', { domain: domain.name })} rowKey={(b) => b.id} searchLabel={t('mailbox.search')} empty={list.query ? t('table.noMatch') : t('mailbox.none')} />;
}

function MailboxForm({ domain, onSecret }: { domain: MailDomain; onSecret(s: Secret): void }) {
  const { t } = useI18n();
  const empty = { localPart: '', quotaMb: '500' };
  const form = useForm(empty, {
    validate: (v) => [...(LOCAL.test(v.localPart.trim()) ? [] : [issue('localPart', 'form.mail_local_part')]), ...(/^[1-9]\d*$/.test(v.quotaMb.trim()) ? [] : [issue('quotaMb', 'form.mail_quota')])],
  });
  const create = async (v: typeof empty) => {
    const made = await change('post', '/mail-domains/{id}/mailboxes', { path: { id: domain.id }, body: { localPart: v.localPart.trim(), quotaMb: Number(v.quotaMb) } });
    onSecret({ name: made.address, password: made.newPassword ?? '' });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('mailbox.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('mailbox.createSubmit')} label={t('mailbox.create')}>
        <TextField name="localPart" label={t('mailbox.localPart')} required hint={t('mailbox.localPartHint', { address: `${form.values.localPart.trim() || '…'}@${domain.name}` })} />
        <TextField name="quotaMb" label={t('mailbox.quotaMb')} required inputMode="numeric" hint={t('mailbox.quotaHint')} />
      </Form>
    </>
  );
}

function AliasesTable({ domain, writable }: { domain: MailDomain; writable: boolean }) {
  const { t } = useI18n();
  const list = useList('/mail-domains/{id}/aliases', { defaultSort: 'localPart', path: { id: domain.id } });
  const columns: Column<MailAlias>[] = [
    { id: 'address', header: t('mailAlias.address'), sort: 'localPart', rowHeader: true, className: 'nowrap', cell: (a) => <code>{a.address}</code> },
    { id: 'destinations', header: t('mailAlias.destinations'), className: 'wrap', cell: (a) => <code>{a.destinations.join(', ')}</code> },
    { id: 'state', header: t('mailbox.colState'), cell: (a) => <ProvisioningState provisioning={a.provisioning} /> },
  ];
  if (writable) {
    columns.push({
      id: 'actions', header: t('field.actions'),
      cell: (a) => (
        <ConfirmButton label={t('mailAlias.remove')} accessibleLabel={t('mailAlias.removeFor', { name: a.address })} title={t('mailAlias.removeTitle', { name: a.address })}
          confirmLabel={t('mailAlias.removeConfirm')} onConfirm={async () => void (await change('delete', '/mail-aliases/{id}', { path: { id: a.id } }))}>
          <p>{t('mailAlias.removeLoses', { name: a.address })}</p>
        </ConfirmButton>
      ),
    });
  }
  return <DataTable list={list} columns={columns} caption={t('mailAlias.title', { domain: domain.name })} rowKey={(a) => a.id} searchLabel={t('mailAlias.search')} empty={list.query ? t('table.noMatch') : t('mailAlias.none')} />;
}

function AliasForm({ domain }: { domain: MailDomain }) {
  const { t } = useI18n();
  const empty = { localPart: '', destinations: '' };
  const split = (s: string) => s.split(',').map((d) => d.trim()).filter(Boolean);
  const form = useForm(empty, {
    validate: (v) => [...(LOCAL.test(v.localPart.trim()) ? [] : [issue('localPart', 'form.mail_local_part')]), ...(split(v.destinations).every((d) => /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(d)) && split(v.destinations).length ? [] : [issue('destinations', 'form.mail_destinations')])],
  });
  const create = async (v: typeof empty) => {
    await change('post', '/mail-domains/{id}/aliases', { path: { id: domain.id }, body: { localPart: v.localPart.trim(), destinations: split(v.destinations) } });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('mailAlias.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('mailAlias.createSubmit')} label={t('mailAlias.create')}>
        <TextField name="localPart" label={t('mailbox.localPart')} required hint={t('mailbox.localPartHint', { address: `${form.values.localPart.trim() || '…'}@${domain.name}` })} />
        <TextField name="destinations" label={t('mailAlias.destinations')} required placeholder="someone@example.org" hint={t('mailAlias.destinationsHint')} />
      </Form>
    </>
  );
}
