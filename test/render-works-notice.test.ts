// Golden files of what Abri tells about an event of a work (test/golden/works-notice/<case>/
// input.json: the work as the public page shows it, the event, the user's hostings): the e-mail in
// French and English (subject, text, HTML, the iCal event attached), the Mastodon status in both
// languages and the webhook's JSON; and the pure rules: which notice an event is, who receives it,
// the webhook signature (it verifies with the secret, not with another, not changed, not late).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { goldenTests } from './harness/golden.js';
import { mastodonStatus, noticeMail, webhookPayload, type NoticeInput } from '../src/works/render-notice.js';
import { langs } from '../src/works/render-site-text.js';
import { cut, mastodonRequest, noticeOf, receives, signWebhook, verifyWebhook, webhookRequest } from '../src/works/rules-notify.js';

interface Input { input: NoticeInput; historyId: string; hostings: string[] }

goldenTests('works-notice', ({ input, historyId, hostings }: Input) => {
  const file = (path: string, content: string) => ({ path, content, mode: 0o644 });
  const files = [file('webhook.json', `${JSON.stringify(webhookPayload(input, historyId), null, 2)}\n`)];
  for (const lang of langs) {
    const mail = noticeMail(lang, input, hostings);
    files.push(file(`${lang}/subject.txt`, `${mail.subject}\n`), file(`${lang}/body.txt`, mail.text), file(`${lang}/body.html`, mail.html),
      ...mail.attachments.map((a) => file(`${lang}/${a.filename}`, a.content)), file(`${lang}/mastodon.txt`, `${mastodonStatus(lang, input).status}\n`));
  }
  return files;
});

test('works notices: which notice an event is, who receives its e-mail', () => {
  const e = (event: 'created' | 'plan' | 'state' | 'note', state: string | null = null, previousState: string | null = null) => noticeOf({ event, state, previousState } as never);
  assert.deepEqual([e('created'), e('plan'), e('state', 'in_progress', 'planned'), e('state', 'done', 'in_progress'), e('state', 'cancelled', 'planned'),
    e('state', 'identified', 'investigating'), e('state', 'resolved', 'monitoring'), e('note')], ['announced', 'plan', 'started', 'ended', 'ended', 'update', 'ended', 'update']);
  assert.deepEqual([receives('all', 'maintenance'), receives('incidents', 'maintenance'), receives('incidents', 'incident'), receives('none', 'incident')], [true, false, true, false]);
});

test('works notices: the webhook signature (HMAC-SHA256 of "timestamp.body")', () => {
  const at = new Date('2026-12-01T10:00:00Z');
  const req = webhookRequest('https://hooks.test/abri', 'the-shared-secret-0123', { type: 'work.announced' }, 'd-1', 'announced', at);
  assert.equal(req.body, '{"type":"work.announced"}');
  assert.equal(req.headers['abri-signature'], signWebhook('the-shared-secret-0123', req.body, at));
  // what a receiver computes with any HMAC tool (here openssl): HMAC-SHA256(secret, "<t>.<body>")
  const openssl = spawnSync('openssl', ['dgst', '-sha256', '-hmac', 'the-shared-secret-0123', '-r'], { input: `1796119200.${req.body}`, encoding: 'utf8' });
  assert.equal(openssl.status, 0, openssl.stderr);
  assert.equal(req.headers['abri-signature'], `t=1796119200,v1=${openssl.stdout.split(' ')[0]}`);
  assert.deepEqual([req.headers['abri-event'], req.headers['abri-delivery']], ['work.announced', 'd-1']);
  assert.equal(verifyWebhook('the-shared-secret-0123', req.body, req.headers['abri-signature']!, at), true);
  assert.equal(verifyWebhook('another-secret-456789', req.body, req.headers['abri-signature']!, at), false);
  assert.equal(verifyWebhook('the-shared-secret-0123', `${req.body} `, req.headers['abri-signature']!, at), false);
  assert.equal(verifyWebhook('the-shared-secret-0123', req.body, req.headers['abri-signature']!, new Date(at.getTime() + 301_000)), false);
  assert.equal(verifyWebhook('the-shared-secret-0123', req.body, 'v1=00', at), false);
});

test('works notices: the Mastodon request, a status cut to its limit', () => {
  const req = mastodonRequest('https://mastodon.test/', 'tok', { status: 'Hello', language: 'fr' }, 'd-2');
  assert.deepEqual([req.url, req.headers.authorization, req.headers['idempotency-key']], ['https://mastodon.test/api/v1/statuses', 'Bearer tok', 'abri-d-2']);
  assert.deepEqual(JSON.parse(req.body), { status: 'Hello', language: 'fr', visibility: 'public' });
  assert.equal(cut('é'.repeat(600), 500), `${'é'.repeat(499)}…`);
  assert.equal(cut('short', 500), 'short');
});
