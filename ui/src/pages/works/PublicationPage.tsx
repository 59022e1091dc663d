// Staff: where the public works page is published (/staff/works/publication) — the servers of the
// status role (their own web server, fed by their agent) and the outside targets pushed with rsync
// over SSH: each with its state, last push and last error; add a target (the public key to authorize
// is shown), push one now, remove one.
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { change, useGet } from '../../api/query.js';
import type { Answer } from '../../api/query.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { TextArea, TextField } from '../../components/fields.js';
import { Form, useForm } from '../../components/form.js';
import { Notice } from '../../components/Notice.js';
import { Loaded, Page, Section } from '../../components/Page.js';
import { TableScroll } from '../../components/TableScroll.js';
import { useI18n } from '../../i18n/i18n.js';

type Target = Answer<'/work-targets'>['items'][number];

function TargetRow({ target: x }: { target: Target }) {
  const { t, fmt } = useI18n();
  const [busy, setBusy] = useState(false);
  const push = async () => {
    setBusy(true);
    try {
      await change('post', '/work-targets/{id}/push', { path: { id: x.id } });
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <th scope="row">{x.name}</th>
      <td><code>{`${x.username}@${x.host}:${x.port}${x.path}/current`}</code></td>
      <td><span className={`badge badge-target-${x.state}`}>{t(`publish.state.${x.state}`)}</span></td>
      <td className="nowrap">{x.pushedAt ? fmt.dateTime(x.pushedAt) : '—'}</td>
      <td className="wrap">{x.lastError ? <span className="error-text" lang="en">{x.lastError}</span> : '—'}{x.failures > 0 && <> ({t('publish.failures', { n: x.failures })})</>}</td>
      <td className="actions">
        <button type="button" onClick={() => void push()} disabled={busy} aria-label={t('publish.pushNamed', { name: x.name })}>{t('publish.push')}</button>
        <ConfirmButton label={t('publish.remove')} accessibleLabel={t('publish.removeNamed', { name: x.name })} title={t('publish.removeTitle', { name: x.name })}
          confirmLabel={t('publish.remove')} onConfirm={async () => void (await change('delete', '/work-targets/{id}', { path: { id: x.id } }))}>
          {t('publish.removeExplained')}
        </ConfirmButton>
      </td>
    </tr>
  );
}

function NewTarget() {
  const { t } = useI18n();
  const initial = { name: '', host: '', port: '22', username: '', path: '', hostKey: '' };
  const form = useForm(initial);
  const [added, setAdded] = useState<Target | null>(null);
  const submit = async (v: typeof initial) => {
    setAdded(await change('post', '/work-targets', { body: { ...v, port: Number(v.port) || 22 } }));
    form.reset(initial);
  };
  return (
    <Section title={t('publish.new')}>
      <p className="hint">{t('publish.newExplained')}</p>
      {added && (
        <Notice kind="success" title={t('publish.added', { name: added.name })}>
          <p>{t('publish.authorize', { user: added.username, host: added.host })}</p>
          <pre tabIndex={0} aria-label={t('publish.publicKey')}>{added.publicKey}</pre>
        </Notice>
      )}
      <Form form={form} onSubmit={submit} submitLabel={t('publish.add')} label={t('publish.new')}>
        <TextField name="name" label={t('publish.name')} required />
        <TextField name="host" label={t('publish.host')} required />
        <TextField name="port" label={t('publish.port')} inputMode="numeric" />
        <TextField name="username" label={t('publish.username')} required />
        <TextField name="path" label={t('publish.path')} hint={t('publish.pathHint')} required />
        <TextArea name="hostKey" label={t('publish.hostKey')} hint={t('publish.hostKeyHint')} />
      </Form>
    </Section>
  );
}

export function PublicationPage() {
  const { t, fmt } = useI18n();
  const targets = useGet('/work-targets', {}, { refetchInterval: 5000 });
  const servers = useGet('/servers', { query: { limit: 1000, sort: 'name' } });
  const status = (servers.data?.items ?? []).filter((s) => s.roles.includes('status'));
  return (
    <Page title={t('publish.title')} crumbs={[<Link to="/staff/works" activeOptions={{ exact: true }}>{t('works.title')}</Link>]}>
      <p className="hint">{t('publish.explained')}</p>
      <Section title={t('publish.statusServers')}>
        {status.length ? (
          <ul>{status.map((s) => <li key={s.id}><Link to="/staff/servers">{s.name}</Link> — {t('server.lastContact')}{t('publish.colon')}{s.lastContactAt ? fmt.dateTime(s.lastContactAt) : t('server.never')} — {s.lastError ? <span className="error-text" lang="en">{s.lastError}</span> : t('server.noError')}</li>)}</ul>
        ) : <p>{t('publish.noStatusServer')}</p>}
      </Section>
      <Section title={t('publish.targets')}>
        <Loaded query={targets}>
          {(list) => (list.items.length ? (
            <TableScroll label={t('publish.targetsTable')}>
              <table>
                <caption className="visually-hidden">{t('publish.targets')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('publish.name')}</th><th scope="col">{t('publish.where')}</th><th scope="col">{t('field.status')}</th>
                    <th scope="col">{t('publish.pushedAt')}</th><th scope="col">{t('publish.lastError')}</th><th scope="col">{t('field.actions')}</th>
                  </tr>
                </thead>
                <tbody>{list.items.map((x) => <TargetRow key={x.id} target={x} />)}</tbody>
              </table>
            </TableScroll>
          ) : <p>{t('publish.noTarget')}</p>)}
        </Loaded>
      </Section>
      <NewTarget />
    </Page>
  );
}
