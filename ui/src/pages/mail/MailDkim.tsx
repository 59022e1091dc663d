// DKIM of the chosen mail domain: the key its mail server signs outgoing mail with (its selector),
// the retired keys still published and until when, and the button that makes a new key (a rotation:
// the new selector is published next to the old one, which goes after 7 days).
import type { MailDomain } from '../../api/model.js';
import { change } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';

export function MailDkim({ domain, writable }: { domain: MailDomain; writable: boolean }) {
  const { t, fmt } = useI18n();
  const { dkim } = domain;
  const title = t('mailDkim.title', { name: domain.name });
  return (
    <Section title={title}>
      <p className="hint" data-testid="mail-dkim-selector">
        {dkim.selector ? t('mailDkim.signing', { selector: dkim.selector }) : t('mailDkim.none')}
      </p>
      {dkim.keys.length > 0 && (
        <TableScroll label={title}>
          <table data-testid="mail-dkim-keys">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr><th scope="col">{t('mailDkim.selector')}</th><th scope="col">{t('mailDkim.state')}</th><th scope="col">{t('mailDkim.record')}</th></tr>
            </thead>
            <tbody>
              {dkim.keys.map((k) => (
                <tr key={k.selector}>
                  <th scope="row"><code>{k.selector}</code></th>
                  <td>{k.signing ? t('mailDkim.stateSigning') : t('mailDkim.stateRetired', { date: fmt.date(k.publishedUntil) })}</td>
                  <td><code>{k.name}</code> <code>TXT</code> <code>{k.content}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {writable && (
        <ConfirmButton label={t('mailDkim.rotate')} accessibleLabel={t('mailDkim.rotateFor', { name: domain.name })} title={t('mailDkim.rotateTitle', { name: domain.name })}
          confirmLabel={t('mailDkim.rotateConfirm')} danger={false}
          onConfirm={async () => void (await change('post', '/mail-domains/{id}/dkim/rotate', { path: { id: domain.id } }))}>
          <p>{domain.dns.managed ? t('mailDkim.rotateManaged') : t('mailDkim.rotateExternal')}</p>
        </ConfirmButton>
      )}
    </Section>
  );
}
