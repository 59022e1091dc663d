// Telling people about works, against real listeners on loopback: e-mail through a real SMTP listener
// (smtp-server) goes to exactly the users of the customers with a hosting on the work's server, in
// their language, with the work's iCal event attached (parsed with Python's email and icalendar: the
// UID of the public feed); a plan change tells it again with the history; what each user chose is
// respected; a replayed job sends nothing twice. A webhook receiver (a Node HTTP listener) gets each
// event signed: the signature verifies with the secret and not with another; a 503 is tried again.
// No Mastodon server can run here: a local HTTP listener checks the request Abri builds (path,
// bearer token, Idempotency-Key kept across retries, JSON body). Secrets are never returned.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ManualClock } from '../src/platform/clock.js';
import { enqueueJob } from '../src/jobs/enqueue.js';
import { verifyWebhook } from '../src/works/rules-notify.js';
import { publicSite } from '../src/works/operations-export.js';
import { renderWorksSite } from '../src/works/render-site.js';
import { alphaAndBravo, seedHosting, startTestManager, type Answer, type TestManager } from './helpers/manager.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './helpers/smtp-sink.js';
import { startHttpListener, type HttpListener } from './helpers/http-listener.js';
import { testDatabases } from './helpers/databases.js';

const PYTHON = '/usr/bin/python3';
const hasIcalendar = () => spawnSync(PYTHON, ['-c', 'import icalendar']).status === 0;

/** The message as a real MIME parser reads it: its plain text and its calendars, parsed with icalendar. */
function parseMail(mail: ReceivedMail): { subject: string; text: string; calendars: Array<{ type: string; filename: string; events: Array<Record<string, string | number>> }> } {
  const r = spawnSync(PYTHON, ['-c', `import email, email.policy, icalendar, json, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
out = {"subject": str(m["subject"]), "text": "", "calendars": []}
for p in m.walk():
    t = p.get_content_type()
    if t == "text/plain" and not p.get_filename():
        out["text"] = p.get_content()
    elif t == "text/calendar":
        c = icalendar.Calendar.from_ical(p.get_payload(decode=True))
        out["calendars"].append({"type": p["content-type"], "filename": p.get_filename(), "events": [
            {"uid": str(e["UID"]), "sequence": int(e["SEQUENCE"]), "start": e.decoded("DTSTART").isoformat(), "status": str(e["STATUS"])} for e in c.walk("VEVENT")]})
print(json.dumps(out))`], { input: mail.raw, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const parsed = JSON.parse(r.stdout);
  return { ...parsed, text: parsed.text.replace(/\r\n/g, '\n') };
}

const is = (a: Answer, status: number, code?: string) => {
  assert.equal(a.status, status, JSON.stringify(a.body));
  if (code) assert.equal(a.body.code, code);
  return a.body;
};

const skip = !hasIcalendar() && process.env.CI !== 'true' ? 'python3-icalendar missing (scripts/test-packages.txt)' : false;

for (const database of testDatabases()) describe(`telling people about works (${database.name})`, { skip }, () => {
  const clock = new ManualClock('2026-12-01T10:00:00Z');
  let m: TestManager;
  let sink: SmtpSink;
  let hook: HttpListener;
  let mastodon: HttpListener;
  let hostings: { a: string; b: string; c: string };
  let work: { id: string; number: number };
  const secret = 'whsec-a-long-shared-secret';
  const token = 'mastodon-access-token-0123456789';
  const run = () => m.manager.jobs.runDue();
  /** the work notices received since `from`, by recipient */
  const notices = (from: number) => sink.received.slice(from).filter((r) => r.decoded.includes('https://panel.abri.test/works/'));
  const to = (mails: ReceivedMail[]) => mails.flatMap((r) => r.to).sort();

  before(async () => {
    if (!hasIcalendar()) {
      if (process.env.CI === 'true') assert.fail('python3-icalendar missing (scripts/test-packages.txt)');
    }
    [sink, hook, mastodon] = await Promise.all([startSmtpSink(), startHttpListener(), startHttpListener((r) => ({ id: '1', url: 'https://mastodon.test/@abri/1', content: JSON.parse(r.body).status }))]);
    m = await startTestManager({ database, clock, settings: { ABRI_SMTP_URL: sink.url, ABRI_PUBLIC_URL: 'https://panel.abri.test', ABRI_WORKS_URL: 'https://status.abri.test' } });
    for (const [name, address] of [['web-1', '192.0.2.10'], ['web-2', '192.0.2.11']] as const) is(await m.api('POST', '/api/v1/servers', { name, roles: ['web'], addresses: [address] }), 201);
    const { a, b, reader } = await alphaAndBravo(m);
    const c = await seedHosting(m, { customer: 'Charlie' });
    const charlie = await m.user('owner@charlie.test');
    is(await m.join(c.customer.id, 'owner@charlie.test', 'owner'), 201);
    const d = await seedHosting(m, { customer: 'Delta' });
    const delta = await m.user('owner@delta.test');
    is(await m.join(d.customer.id, 'owner@delta.test', 'owner'), 201);
    for (const [h, server] of [[a, 'web-1'], [b, 'web-2'], [c, 'web-1'], [d, 'web-1']] as const) is(await m.api('PATCH', `/api/v1/hostings/${h.hosting.id}`, { serverId: server }), 200);
    hostings = { a: a.hosting.name, b: b.hosting.name, c: c.hosting.name };
    // Alpha's reader reads French; Charlie's owner wants nothing, Delta's owner only incidents
    is(await m.api('PATCH', '/api/v1/me', { locale: 'fr' }, { token: reader.token }), 200);
    is(await m.api('PUT', '/api/v1/me/work-notices', { receive: 'none' }, { token: charlie.token }), 200);
    is(await m.api('PUT', '/api/v1/me/work-notices', { receive: 'incidents' }, { token: delta.token }), 200);
    await run(); // the invitations go out before the works
  });
  after(async () => {
    await m?.close();
    await Promise.all([sink?.close(), hook?.close(), mastodon?.close()]);
  });

  test('each user chooses what they receive; the choice is their own', async () => {
    // (set up above through the same routes; here what they read back)
    const owner = await m.user('chooser@abri.test');
    assert.deepEqual(is(await m.api('GET', '/api/v1/me/work-notices', undefined, { token: owner.token }), 200), { receive: 'all', events: ['announced', 'plan', 'started', 'ended'] });
    is(await m.api('PUT', '/api/v1/me/work-notices', { receive: 'sometimes' }, { token: owner.token }), 400);
    is(await m.api('PUT', '/api/v1/me/work-notices', { receive: 'none' }, { token: owner.token }), 200);
    assert.equal(is(await m.api('GET', '/api/v1/me/work-notices', undefined, { token: owner.token }), 200).receive, 'none');
    assert.equal(is(await m.api('GET', '/api/v1/me/work-notices'), 200).receive, 'all', 'another user\'s choice is not the admin\'s');
    const audit = is(await m.api('GET', '/api/v1/audit?q=work_notices.update'), 200);
    assert.ok(audit.items.some((e: { action: string; target: string }) => e.action === 'work_notices.update' && e.target === 'chooser@abri.test'));
  });

  test('staff add a webhook and a Mastodon account; their secrets are never returned', async () => {
    const webhook = is(await m.api('POST', '/api/v1/work-channels', { kind: 'webhook', name: 'status-bot', url: `${hook.url}/abri`, secret }), 201);
    assert.deepEqual([webhook.kind, webhook.secretSet, webhook.lastDelivery, 'secret' in webhook], ['webhook', true, null, false]);
    is(await m.api('POST', '/api/v1/work-channels', { kind: 'mastodon', name: 'toots', url: `${mastodon.url}/`, secret: token, locale: 'fr' }), 201);
    is(await m.api('POST', '/api/v1/work-channels', { kind: 'webhook', name: 'status-bot', url: hook.url, secret }), 409, 'work_channel.name_taken');
    is(await m.api('POST', '/api/v1/work-channels', { kind: 'webhook', name: 'short', url: hook.url, secret: 'short' }), 400);
    is(await m.api('POST', '/api/v1/work-channels', { kind: 'webhook', name: 'creds', url: 'https://user:pw@hooks.test/', secret }), 400);
    is(await m.api('POST', '/api/v1/work-channels', { kind: 'webhook', name: 'file', url: 'file:///etc/passwd', secret }), 400);
    const list = await m.api('GET', '/api/v1/work-channels');
    assert.deepEqual(is(list, 200).items.map((c: { name: string }) => c.name), ['status-bot', 'toots']);
    const raw = JSON.stringify(list.body) + JSON.stringify(is(await m.api('GET', '/api/v1/audit?q=work_channel'), 200));
    assert.ok(!raw.includes(secret) && !raw.includes(token), 'neither the API nor the audit log shows a secret');
    is(await m.api('GET', '/api/v1/work-channels', undefined, { token: null }), 401);
  });

  test('a work on web-1 is told to exactly the users with a hosting there, in their language, with its iCal event', async () => {
    const from = sink.received.length;
    work = is(await m.api('POST', '/api/v1/works', {
      kind: 'maintenance', title: { fr: 'Mise à jour de web-1', en: 'Upgrade of web-1' }, text: { fr: 'Redémarrage d\'Apache.', en: 'Apache restarts.' },
      affects: { servers: ['web-1'] }, plannedStart: '2026-12-02T02:30:00Z', plannedMinutes: 30,
    }), 201);
    await run();
    const mails = notices(from);
    // Alpha's owner and reader (web-1); not Bravo (web-2), not Charlie (none), not Delta (incidents only)
    assert.deepEqual(to(mails), ['owner@alpha.test', 'reader@alpha.test']);
    const en = parseMail(mails.find((r) => r.to.includes('owner@alpha.test'))!);
    assert.equal(en.subject, `[Maintenance #${work.number}] Upgrade of web-1 — announced`);
    assert.match(en.text, /This work is planned on 2 December 2026, 02:30 UTC, for 30 min\./);
    assert.match(en.text, new RegExp(`Your hostings affected: ${hostings.a}\\n`));
    assert.ok(!en.text.includes(hostings.c), 'another customer\'s hosting is never named');
    assert.match(en.text, new RegExp(`https://panel\\.abri\\.test/works/${work.number}`));
    const fr = parseMail(mails.find((r) => r.to.includes('reader@alpha.test'))!);
    assert.equal(fr.subject, `[Maintenance #${work.number}] Mise à jour de web-1 — annonce`);
    assert.match(fr.text, /Ces travaux sont prévus le 2 décembre 2026, 02:30 UTC, pour une durée de 30 min\./);
    // the iCal event: the same UID as the public feed's, so a calendar that has it updates it
    const publicIcs = renderWorksSite(await publicSite(m.manager.app)).find((f) => f.path === 'en/works.ics')!.content.toString();
    const uid = /^UID:(.*)\r$/m.exec(publicIcs)![1];
    assert.equal(uid, `work-${work.id}@status.abri.test`);
    assert.equal(en.calendars.length, 1);
    assert.match(en.calendars[0]!.type, /^text\/calendar/);
    assert.equal(en.calendars[0]!.filename, `work-${work.number}.ics`);
    assert.deepEqual(en.calendars[0]!.events, [{ uid, sequence: 0, start: '2026-12-02T02:30:00+00:00', status: 'CONFIRMED' }]);
  });

  test('a replayed job sends nothing twice', async () => {
    const before = sink.received.length;
    const deliveries = hook.received.length + mastodon.received.length;
    const db = m.manager.app.db;
    for (const j of await db.selectFrom('jobs').select(['kind', 'key']).where('kind', 'in', ['works.notify', 'works.deliver', 'outbox.send']).execute()) {
      await enqueueJob(db, { kind: j.kind, key: j.key, runAt: clock.now() }, clock.now());
    }
    await run();
    assert.equal(sink.received.length, before);
    assert.equal(hook.received.length + mastodon.received.length, deliveries);
  });

  test('the webhook got the event signed: it verifies with the secret, not with another', async () => {
    const [req] = hook.received.filter((r) => r.headers['abri-event'] === 'work.announced');
    assert.ok(req, 'the webhook was called');
    assert.deepEqual([req.method, req.path, req.headers['content-type']], ['POST', '/abri', 'application/json']);
    const signature = String(req.headers['abri-signature']);
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(verifyWebhook(secret, req.body, signature, clock.now()), true);
    assert.equal(verifyWebhook('another-secret-of-some-length', req.body, signature, clock.now()), false);
    assert.equal(verifyWebhook(secret, req.body.replace('Upgrade', 'Downgrade'), signature, clock.now()), false, 'a changed body does not verify');
    assert.equal(verifyWebhook(secret, req.body, signature, new Date(clock.now().getTime() + 3_600_000)), false, 'an old signature is refused');
    const body = JSON.parse(req.body);
    assert.deepEqual([body.type, body.work.id, body.work.title.fr, body.event.event, body.event.author], ['work.announced', work.id, 'Mise à jour de web-1', 'created', null]);
    assert.ok(!req.body.includes(hostings.a), 'a webhook never lists customers\' hostings');
    const deliveries = is(await m.api('GET', '/api/v1/work-deliveries?channel=status-bot'), 200);
    assert.deepEqual(deliveries.items.map((d: { event: string; status: string; workNumber: number; responseStatus: number }) => [d.event, d.status, d.workNumber, d.responseStatus]), [['announced', 'sent', work.number, 200]]);
    assert.equal(req.headers['abri-delivery'], deliveries.items[0].id);
  });

  test('Mastodon gets a status: bearer token, Idempotency-Key, JSON body (a local listener: no Mastodon server runs here)', async () => {
    const [req] = mastodon.received;
    assert.ok(req, 'the instance was called');
    assert.deepEqual([req.method, req.path, req.headers.authorization, req.headers['content-type']], ['POST', '/api/v1/statuses', `Bearer ${token}`, 'application/json']);
    const [delivery] = is(await m.api('GET', '/api/v1/work-deliveries?channel=toots'), 200).items;
    assert.equal(req.headers['idempotency-key'], `abri-${delivery.id}`);
    const body = JSON.parse(req.body);
    assert.deepEqual([body.language, body.visibility], ['fr', 'public']);
    assert.match(body.status, new RegExp(`^Maintenance #${work.number} — Mise à jour de web-1\\n\\nCes travaux sont prévus le 2 décembre 2026, 02:30 UTC`));
    assert.match(body.status, new RegExp(`\\n\\nhttps://status\\.abri\\.test/fr/works/${work.number}\\.html$`));
    assert.ok([...body.status].length <= 500);
  });

  test('a plan change is told again, with the history of the plan; a channel that fails is tried again with the same key', async () => {
    clock.set(new Date('2026-12-01T12:00:00Z'));
    const from = sink.received.length;
    mastodon.answerNext(503);
    hook.answerNext(500);
    is(await m.api('PATCH', `/api/v1/works/${work.id}`, { plannedStart: '2026-12-02T03:00:00Z', plannedMinutes: 20, note: { fr: 'Décalé d\'une demi-heure.', en: 'Moved by half an hour.' } }), 200);
    await run();
    const mails = notices(from);
    assert.deepEqual(to(mails), ['owner@alpha.test', 'reader@alpha.test']);
    const en = parseMail(mails.find((r) => r.to.includes('owner@alpha.test'))!);
    assert.equal(en.subject, `[Maintenance #${work.number}] Upgrade of web-1 — plan changed`);
    assert.match(en.text, /Its plan changed: moved from 2 December 2026, 02:30 UTC \(30 min\) to 2 December 2026, 03:00 UTC \(20 min\)\.\nMoved by half an hour\./);
    assert.match(en.text, /History of the plan:\n- announced on 1 December 2026, 10:00 UTC: 2 December 2026, 02:30 UTC \(30 min\)\n- moved on 1 December 2026, 12:00 UTC: 2 December 2026, 03:00 UTC \(20 min\)/);
    assert.deepEqual(en.calendars[0]!.events.map((e) => [e.sequence, e.start]), [[1, '2026-12-02T03:00:00+00:00']], 'the event moves: SEQUENCE 1');
    const fr = parseMail(mails.find((r) => r.to.includes('reader@alpha.test'))!);
    assert.match(fr.text, /Leur plan a changé : déplacés du 2 décembre 2026, 02:30 UTC \(30 min\) au 2 décembre 2026, 03:00 UTC \(20 min\)\./);
    // the failed deliveries wait with their error, then go out on the runner's next try
    const failed = is(await m.api('GET', '/api/v1/work-deliveries?status=queued'), 200).items;
    assert.deepEqual(failed.map((d: { channel: { name: string }; attempts: number }) => [d.channel.name, d.attempts]).sort(), [['status-bot', 1], ['toots', 1]]);
    assert.match(failed.find((d: { channel: { name: string } }) => d.channel.name === 'toots').lastError, /^HTTP 503/);
    const channels = is(await m.api('GET', '/api/v1/work-channels'), 200).items;
    assert.match(channels.find((c: { name: string }) => c.name === 'status-bot').lastDelivery.lastError, /^HTTP 500/);
    clock.set(new Date('2026-12-01T12:00:31Z'));
    await run();
    assert.equal(is(await m.api('GET', '/api/v1/work-deliveries?status=queued'), 200).total, 0);
    const tries = mastodon.received.slice(-2);
    assert.equal(tries.length, 2);
    assert.equal(tries[0]!.headers['idempotency-key'], tries[1]!.headers['idempotency-key'], 'a retry carries the same Idempotency-Key');
    const hooks = hook.received.filter((r) => r.headers['abri-event'] === 'work.plan');
    assert.equal(hooks.length, 2);
    assert.notEqual(hooks[0]!.headers['abri-signature'], hooks[1]!.headers['abri-signature'], 'each attempt is signed at its time');
    assert.ok(hooks.every((r) => verifyWebhook(secret, r.body, String(r.headers['abri-signature']), clock.now())));
  });

  test('start and end are told; an incident reaches the users who want only incidents', async () => {
    clock.set(new Date('2026-12-02T03:00:00Z'));
    let from = sink.received.length;
    is(await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'in_progress' }), 201);
    clock.set(new Date('2026-12-02T03:10:00Z'));
    is(await m.api('POST', `/api/v1/works/${work.id}/updates`, { text: { fr: 'À mi-chemin.', en: 'Half way.' } }), 201);
    is(await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'done' }), 201);
    await run();
    const subjects = notices(from).filter((r) => r.to.includes('owner@alpha.test')).map((r) => parseMail(r)).map((p) => p.subject);
    assert.deepEqual(subjects.sort(), [`[Maintenance #${work.number}] Upgrade of web-1 — ended`, `[Maintenance #${work.number}] Upgrade of web-1 — started`], 'an update goes to the channels, not by e-mail');
    const ended = notices(from).map((r) => parseMail(r)).find((p) => p.subject.endsWith('ended'))!;
    assert.match(ended.text, /It ended on 2 December 2026, 03:10 UTC, after 10 min \(announced duration: 20 min\)\./);
    assert.ok(hook.received.some((r) => r.headers['abri-event'] === 'work.update' && JSON.parse(r.body).event.text.en === 'Half way.'));

    from = sink.received.length;
    is(await m.api('POST', '/api/v1/works', { kind: 'incident', title: { fr: 'Lenteurs', en: 'Slowness' }, affects: { servers: ['web-1'] } }), 201);
    await run();
    assert.deepEqual(to(notices(from)), ['owner@alpha.test', 'owner@delta.test', 'reader@alpha.test'], 'Delta wants incidents; Charlie nothing; Bravo is elsewhere');
    assert.match(parseMail(notices(from).find((r) => r.to.includes('owner@delta.test'))!).text, /An incident is under way since 2 December 2026, 03:10 UTC\./);
    assert.deepEqual(parseMail(notices(from)[0]!).calendars, [], 'an incident has no planned event to attach');
  });

  test('staff try a failed delivery again; customers see no channel', async () => {
    const [sent] = is(await m.api('GET', '/api/v1/work-deliveries?status=sent'), 200).items;
    is(await m.api('POST', `/api/v1/work-deliveries/${sent.id}/retry`), 409, 'work_delivery.sent');
    is(await m.api('POST', '/api/v1/work-deliveries/00000000-0000-0000-0000-000000000000/retry'), 404, 'work_delivery.not_found');
    is(await m.api('GET', '/api/v1/work-deliveries?channel=nope'), 404, 'work_channel.not_found');
    const customer = await m.user('nosy@abri.test');
    for (const [method, path] of [['GET', '/api/v1/work-channels'], ['GET', '/api/v1/work-deliveries'], ['POST', `/api/v1/work-deliveries/${sent.id}/retry`], ['DELETE', '/api/v1/work-channels/status-bot']] as const) {
      is(await m.api(method, path, undefined, { token: customer.token }), 403, 'auth.staff_only');
    }
    is(await m.api('PATCH', '/api/v1/work-channels/status-bot', { enabled: false }), 200);
    const calls = hook.received.length;
    is(await m.api('POST', '/api/v1/works', { kind: 'incident', title: { fr: 'Autre', en: 'Other' }, affects: { servers: ['web-2'] } }), 201);
    await run();
    assert.equal(hook.received.length, calls, 'a disabled channel is not told');
    is(await m.api('DELETE', '/api/v1/work-channels/status-bot'), 204);
    is(await m.api('DELETE', '/api/v1/work-channels/status-bot'), 404, 'work_channel.not_found');
  });
});
