// A hosting's SFTP tab (/hostings/<name>/sftp): the quota SFTP and FTP users share, where to connect (the host and port the API gives
// with each user: the hosting's web server), its SFTP users with their folder and ways in, and the
// form that adds one (with a shell in the hosting's jail when its offer allows SSH). A password made by a creation or a reset is shown once. Read-only users, and
// everyone while the hosting cannot be changed, see the list without the actions.
import { useState } from 'react';
import type { Hosting } from '../../api/model.js';
import { Section } from '../../components/Page.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useI18n } from '../../i18n/i18n.js';
import { useOffers } from '../../api/offers.js';
import { TransferQuota } from '../ftp/TransferQuota.js';
import { SftpUserForm } from './SftpUserForm.js';
import { SftpUsersTable } from './SftpUsersTable.js';

/** A password just made, for the user it belongs to. */
export interface SftpSecret {
  name: string;
  password: string;
}

export function SftpTab({ hosting, writable }: { hosting: Hosting; writable: boolean }) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<SftpSecret | null>(null);
  // a shell can be given only when the hosting's offer allows SSH (else the API refuses it)
  const sshAllowed = !!useOffers().byId(hosting.offerId)?.sshAllowed;
  return (
    <Section title={t('sftp.title')}>
      <p className="hint">{t('sftp.explained')}</p>
      <TransferQuota hosting={hosting} />
      {secret && <SecretOnce label={t('sftp.passwordOf', { name: secret.name })} value={secret.password} note={t('sftp.passwordOnce')} />}
      <SftpUsersTable hostingId={hosting.id} sshAllowed={sshAllowed} writable={writable} onSecret={setSecret} />
      {writable && <SftpUserForm hosting={hosting} sshAllowed={sshAllowed} onSecret={setSecret} />}
    </Section>
  );
}
