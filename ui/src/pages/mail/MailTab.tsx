// A hosting's Mail tab (/hostings/<name>/mail): its mail domains (a site domain or alias each) with
// the form that adds one; the chosen domain's mailboxes (space, usage, state on the server, a new
// password shown once, removal) and aliases; what to type in a mail client; its DNS records. Read-only users, and
// everyone while the hosting cannot be changed, see the lists without the actions.
import { useState } from 'react';
import type { Hosting, MailDomain } from '../../api/model.js';
import { change } from '../../api/query.js';
import { useList, type ListState } from '../../api/use-list.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Section } from '../../components/Page.js';
import { ProvisioningState } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { MailboxesSection } from './MailboxesSection.js';
import { MailDnsRecords } from './MailDnsRecords.js';

export function MailTab({ hosting, writable }: { hosting: Hosting; writable: boolean }) {
  const { t } = useI18n();
  const list = useList('/hostings/{id}/mail-domains', { defaultSort: 'name', path: { id: hosting.id } });
  const [chosen, setChosen] = useState<string | null>(null);
  const domain = list.items.find((d) => d.id === chosen) ?? list.items[0];
  return (
    <>
      {domain && <ClientSettings domain={domain} />}
      <Section title={t('mailDomain.title')}>
        <DomainsTable list={list} writable={writable} onOpen={setChosen} />
        {writable && <DomainForm hosting={hosting} />}
      </Section>
      {domain && <MailboxesSection key={domain.id} domain={domain} writable={writable} />}
      {domain && <MailDnsRecords domain={domain} />}
    </>
  );
}

function ClientSettings({ domain }: { domain: MailDomain }) {
  const { t } = useI18n();
  const { host, ports } = domain.server;
  return (
    <Section title={t('mailTab.connection')}>
      <dl className="facts" data-testid="mail-connection">
        <dt>{t('mailTab.incoming')}</dt><dd><code>{host}</code> · {t('mailTab.tls', { port: ports.imaps, starttls: ports.imap })}</dd>
        <dt>{t('mailTab.incomingPop')}</dt><dd><code>{host}</code> · {t('mailTab.tls', { port: ports.pop3s, starttls: ports.pop3 })}</dd>
        <dt>{t('mailTab.outgoing')}</dt><dd><code>{host}</code> · {t('mailTab.tls', { port: ports.smtps, starttls: ports.submission })}</dd>
      </dl>
      <p className="hint" data-testid="mail-autoconfig">{t('mailTab.autoconfig')}</p>
      <p className="hint">{t('mailTab.connectionExplained')}</p>
    </Section>
  );
}

function DomainsTable({ list, writable, onOpen }: { list: ListState<MailDomain>; writable: boolean; onOpen(id: string): void }) {
  const { t } = useI18n();
  const columns: Column<MailDomain>[] = [
    { id: 'name', header: t('mailDomain.name'), sort: 'name', rowHeader: true, className: 'nowrap', cell: (d) => <code>{d.name}</code> },
    { id: 'mailboxes', header: t('mailDomain.mailboxes'), cell: (d) => d.mailboxes },
    { id: 'aliases', header: t('mailDomain.aliases'), cell: (d) => d.aliases },
    { id: 'state', header: t('mailDomain.colState'), cell: (d) => <ProvisioningState provisioning={d.provisioning} /> },
    {
      id: 'actions', header: t('field.actions'),
      cell: (d) => (
        <div className="row-actions">
          <button type="button" className="secondary" aria-label={t('mailDomain.openFor', { name: d.name })} onClick={() => onOpen(d.id)}>{t('mailDomain.open')}</button>
          {writable && (
            <ConfirmButton label={t('mailDomain.remove')} accessibleLabel={t('mailDomain.removeFor', { name: d.name })} title={t('mailDomain.removeTitle', { name: d.name })}
              confirmLabel={t('mailDomain.removeConfirm')} onConfirm={async () => void (await change('delete', '/mail-domains/{id}', { path: { id: d.id } }))}>
              <p>{t('mailDomain.removeLoses', { name: d.name })}</p>
            </ConfirmButton>
          )}
        </div>
      ),
    },
  ];
  return <DataTable list={list} columns={columns} caption={t('mailDomain.title')} rowKey={(d) => d.id} searchLabel={t('mailDomain.search')} empty={list.query ? t('table.noMatch') : t('mailDomain.none')} />;
}

function DomainForm({ hosting }: { hosting: Hosting }) {
  const { t } = useI18n();
  const empty = { name: '' };
  const form = useForm(empty);
  const create = async (v: typeof empty) => {
    await change('post', '/hostings/{id}/mail-domains', { path: { id: hosting.id }, body: { name: v.name.trim() } });
    form.reset(empty);
  };
  return (
    <>
      <h3>{t('mailDomain.create')}</h3>
      <Form form={form} onSubmit={create} submitLabel={t('mailDomain.createSubmit')} label={t('mailDomain.create')}>
        <TextField name="name" label={t('mailDomain.name')} required placeholder="example.org" hint={t('mailDomain.nameHint')} />
      </Form>
    </>
  );
}
