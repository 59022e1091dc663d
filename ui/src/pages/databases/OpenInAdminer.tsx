// "Open in Adminer" next to a database user: the manager gives a ticket (single-use, a minute, bound
// to this user, holding no password) and the browser posts it to the platform's database admin,
// which exchanges it server to server. The ticket goes in a form body, never in an address. A new
// tab is opened at the click (before the API answers, so no pop-up blocker stops it); where the
// browser refuses one, this tab goes instead.
import { useState } from 'react';
import type { DatabaseUser } from '../../api/model.js';
import { usePlatform } from '../../api/platform.js';
import { change } from '../../api/query.js';
import { problemPhrase } from '../../i18n/errors.js';
import { Say, useI18n, type Phrase } from '../../i18n/i18n.js';

function post(url: string, ticket: string, target: string) {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = url;
  form.target = target;
  const field = document.createElement('input');
  field.type = 'hidden';
  field.name = 'ticket';
  field.value = ticket;
  form.append(field);
  document.body.append(form);
  form.submit();
  form.remove();
}

export function OpenInAdminer({ user: u }: { user: DatabaseUser }) {
  const i18n = useI18n();
  const platform = usePlatform();
  const [problem, setProblem] = useState<Phrase | null>(null);
  if (!platform?.databaseAdmin) return null;
  const open = async () => {
    setProblem(null);
    const tab = window.open('', 'abri-dbadmin');
    try {
      const { url, ticket } = await change('post', '/database-users/{id}/dbadmin-ticket', { path: { id: u.id } });
      post(url, ticket, tab ? 'abri-dbadmin' : '_self');
    } catch (e) {
      tab?.close();
      setProblem(problemPhrase(e, i18n));
    }
  };
  return (
    <>
      <button type="button" onClick={open} aria-label={i18n.t('dbadmin.openFor', { name: u.name })}>{i18n.t('dbadmin.open')}</button>
      {problem && <span className="field-error" role="alert"><Say phrase={problem} /></span>}
    </>
  );
}
