// The DNS records of the chosen mail domain (MX, SPF, DMARC, autoconfig/autodiscover, SRV): published
// by the platform in a zone it hosts, or to set at the domain's DNS host when its DNS is elsewhere.
import type { MailDomain } from '../../api/model.js';
import { Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';

export function MailDnsRecords({ domain }: { domain: MailDomain }) {
  const { t } = useI18n();
  const { dns } = domain;
  const title = t('mailDns.title', { name: domain.name });
  if (!dns.records.length) return <Section title={title}><p className="hint">{t('mailDns.noHost')}</p></Section>;
  return (
    <Section title={title}>
      <p className="hint">{dns.managed ? t('mailDns.managed', { zone: dns.zone ?? domain.name }) : t('mailDns.external')}</p>
      <TableScroll label={title}>
        <table data-testid="mail-dns-records">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr><th scope="col">{t('record.name')}</th><th scope="col">{t('record.type')}</th><th scope="col">{t('record.content')}</th></tr>
          </thead>
          <tbody>
            {dns.records.map((r) => (
              <tr key={`${r.name} ${r.type} ${r.content}`}>
                <th scope="row"><code>{r.name}</code></th>
                <td><code>{r.type}</code></td>
                <td><code>{r.content}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </Section>
  );
}
