// Staff: the mail the sending limit holds. A mailbox that sent more than its offer's hourly or daily
// limit has its next messages held on its mail server (maybe a stolen password): staff look at them
// (read from the mail server), then release them (sent now, the count forgotten) or delete them.
import { useState } from 'react';
import type { Answer } from '../../api/query.js';
import { call, change, useGet } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

type Held = Answer<'/mail-held'>['items'][number];
type Messages = Answer<'/mailboxes/{id}/held'>;

export function HeldMailPage() {
  const { t } = useI18n();
  const held = useGet('/mail-held', {});
  return (
    <Page title={t('nav.heldMail')}>
      <p className="hint">{t('heldMail.explained')}</p>
      <Loaded query={held}>
        {(page) => page.items.length === 0 ? <p data-testid="no-held-mail">{t('heldMail.none')}</p> : (
          <ul className="held-mail" data-testid="held-mail">
            {page.items.map((b) => <HeldMailbox key={b.id} mailbox={b} />)}
          </ul>
        )}
      </Loaded>
    </Page>
  );
}

function HeldMailbox({ mailbox: b }: { mailbox: Held }) {
  const { t, fmt } = useI18n();
  const [messages, setMessages] = useState<Messages['messages'] | null>(null);
  return (
    <li>
      <Section title={t('heldMail.mailbox', { address: b.address, count: b.sendingHeld })}>
        <p>{t('heldMail.hosting', { hosting: b.hostingName })}</p>
        <div className="row-actions">
          <button type="button" className="secondary" onClick={async () => setMessages((await call('get', '/mailboxes/{id}/held', { path: { id: b.id } })).messages)}>
            {t('heldMail.show')}
          </button>
          <ConfirmButton label={t('heldMail.release')} accessibleLabel={t('heldMail.releaseFor', { address: b.address })} title={t('heldMail.releaseTitle', { address: b.address })}
            confirmLabel={t('heldMail.releaseConfirm')} danger={false} onConfirm={async () => void (await change('post', '/mailboxes/{id}/held/release', { path: { id: b.id } }))}>
            <p>{t('heldMail.releaseExplained')}</p>
          </ConfirmButton>
          <ConfirmButton label={t('heldMail.delete')} accessibleLabel={t('heldMail.deleteFor', { address: b.address })} title={t('heldMail.deleteTitle', { address: b.address })}
            confirmLabel={t('heldMail.deleteConfirm')} onConfirm={async () => void (await change('post', '/mailboxes/{id}/held/delete', { path: { id: b.id } }))}>
            <p>{t('heldMail.deleteExplained')}</p>
          </ConfirmButton>
        </div>
        {messages && (
          <ul data-testid="held-messages">
            {messages.map((m) => <li key={m.queueId}><code>{m.queueId}</code> · {fmt.dateTime(m.arrivedAt)} · {fmt.bytes(m.size)} · {t('heldMail.to', { recipients: m.recipients.join(', ') })}</li>)}
          </ul>
        )}
      </Section>
    </li>
  );
}
