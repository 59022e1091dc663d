// A hosting's database quotas (databases, users, space measured by its database server), why writes
// are refused when its databases are over their space, and where PHP connects to them.
import type { DatabaseUsage, ReadOnly } from '../../api/model.js';
import { Notice } from '../../components/Notice.js';
import { Section } from '../../components/Page.js';
import { QuotaBar } from '../../components/QuotaBar.js';
import { Say, useI18n } from '../../i18n/i18n.js';

export function DatabaseQuotas({ usage: u }: { usage: DatabaseUsage }) {
  const { t, fmt } = useI18n();
  // the sum is known once every database was measured (none at all: nothing to measure)
  const spaceKnown = u.space.measuredAt !== null || u.databases.used === 0;
  return (
    <>
      {u.readOnly && <Notice kind="warning" title={t('dbTab.readOnlyTitle')}><p data-testid="database-read-only"><ReadOnlyReason readOnly={u.readOnly} /></p></Notice>}
      <Section title={t('dbTab.quotas')}>
        <div className="quotas" data-testid="database-quotas">
          <QuotaBar label={t('quota.databases')} used={u.databases.used} max={u.databases.max} />
          <QuotaBar label={t('quota.databaseUsers')} used={u.users.used} max={u.users.max} />
          <QuotaBar label={t('quota.databaseSpace')} used={spaceKnown ? u.space.usedBytes : undefined} max={u.space.maxBytes} format={fmt.bytes} />
        </div>
        <p className="hint">{t('dbTab.usersCount', { max: u.databases.max })}</p>
      </Section>
      <Section title={t('dbTab.connection')}>
        {u.server ? (
          <>
            <dl className="facts" data-testid="database-connection">
              <dt>{t('dbTab.host')}</dt><dd><code>{u.server.host}</code></dd>
              <dt>{t('dbTab.port')}</dt><dd><code>{u.server.port}</code></dd>
            </dl>
            <p className="hint">{t('dbTab.connectionExplained')}</p>
          </>
        ) : (
          <p className="hint">{t('dbTab.noServer')}</p>
        )}
      </Section>
    </>
  );
}

/** Why writes are refused, by its code, with the sizes written the reader's way. */
export function ReadOnlyReason({ readOnly: r }: { readOnly: ReadOnly }) {
  const { phrase, fmt } = useI18n();
  const p = r.params;
  return <Say phrase={phrase(`readOnly.${r.code}`, r.message, { used: fmt.bytes(p.usedBytes), max: fmt.bytes(p.maxBytes), resume: fmt.bytes(p.resumeBelowBytes) })} />;
}
