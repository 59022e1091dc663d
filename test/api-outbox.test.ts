// The platform's e-mail against a real SMTP listener (smtp-server on loopback): invitations, account
// activations and the forgot-password flow are queued in their change's transaction and sent by the
// job runner (the Clock moves, no sleeps); a 451 is tried again, a 550 fails at once and staff see
// why and may send it again; what staff read never holds the link's secret; customers see no outbox;
// a change refused sends nothing; the reset link works once, for an hour, and an unknown e-mail
// gets the same answer as a known one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager, type Answer, type TestManager } from './helpers/manager.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './helpers/smtp-sink.js';
import { abri } from './helpers/cli.js';
import { testDatabases } from './helpers/databases.js';

const is = (a: Answer, status: number, code?: string) => {
  assert.equal(a.status, status, JSON.stringify(a.body));
  if (code) assert.equal(a.body.code, code);
  return a.body;
};
const anonymous = { token: null } as const;
const linkIn = (mail: ReceivedMail) => /https?:\/\/\S+?#[A-Za-z0-9_-]{20,}/.exec(mail.decoded)?.[0];
const header = (mail: ReceivedMail, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(mail.raw)?.[1];

for (const database of testDatabases()) describe(`the platform's e-mail (${database.name})`, () => {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  let m: TestManager;
  let sink: SmtpSink;
  let customerId: string;
  const sent = () => m.manager.jobs.runDue();
  const outbox = async (q = '') => is(await m.api('GET', `/api/v1/outbox${q}`), 200).items as Array<Record<string, unknown>>;

  before(async () => {
    sink = await startSmtpSink();
    m = await startTestManager({ database, clock, settings: { ABRI_SMTP_URL: sink.url, ABRI_MAIL_FROM: 'Hébergeur <noreply@abri.test>', ABRI_PUBLIC_URL: 'https://panel.abri.test' } });
    customerId = is(await m.api('POST', '/api/v1/customers', { name: 'Les <script>Jardins</script> & Cie', contactEmail: 'contact@jardins.test' }), 201).id;
  });
  after(async () => {
    await m?.close();
    await sink?.close();
  });

  test('an invitation arrives in the language asked, its link is the one the API gave and it works; the HTML escapes the customer\'s name', async () => {
    const invited = is(await m.api('POST', `/api/v1/customers/${customerId}/invitations`, { email: 'bob@jardins.test', role: 'manager', locale: 'fr' }), 201);
    await sent();
    const mail = sink.received.find((r) => r.to.includes('bob@jardins.test'));
    assert.ok(mail, 'the invitation arrived');
    assert.match(header(mail, 'Subject') ?? '', /Invitation/);
    assert.match(mail.decoded, /Vous êtes invité par admin@abri\.test à agir pour Les <script>Jardins<\/script> & Cie/);
    assert.match(mail.decoded, /Les &#60;script&#62;Jardins&#60;\/script&#62; &#38; Cie/, 'the HTML part escapes the name');
    assert.equal(linkIn(mail), invited.invitationUrl);
    assert.match(header(mail, 'From') ?? '', /noreply@abri\.test/);
    const token = invited.invitationUrl.split('#')[1];
    is(await m.api('POST', '/api/v1/auth/accept-invitation', { token, password: 'a long new password' }, anonymous), 200);
    // staff see it sent; what they read has the link masked
    const [row] = await outbox('?template=invitation');
    assert.equal(row!.status, 'sent');
    const detail = is(await m.api('GET', `/api/v1/outbox/${row!.id as string}`), 200);
    assert.ok(!detail.text.includes(token), 'the secret is not shown to staff');
    assert.match(detail.text, /https:\/\/panel\.abri\.test\/invitation#…/);
    assert.equal((await m.manager.app.db.selectFrom('outgoingMail').select('linkSealed').where('id', '=', row!.id as string).executeTakeFirstOrThrow()).linkSealed, null, 'the sealed link is dropped once sent');
  });

  test('a refused change sends nothing; an account created without a password gets its activation link by e-mail', async () => {
    const before = (await outbox()).length;
    is(await m.api('POST', `/api/v1/customers/${customerId}/invitations`, { email: 'bob@jardins.test', role: 'manager' }), 409, 'delegation.exists');
    assert.equal((await outbox()).length, before, 'no message for a change that did not happen');
    const created = is(await m.api('POST', '/api/v1/users', { email: 'new.staff@abri.test', role: 'staff', locale: 'en' }), 201);
    await sent();
    const mail = sink.received.find((r) => r.to.includes('new.staff@abri.test'));
    assert.ok(mail);
    assert.match(header(mail, 'Subject') ?? '', /Activate your account/);
    assert.equal(linkIn(mail), created.invitationUrl);
  });

  test('forgot password: the link arrives, sets the password once, ends sessions and API tokens; an unknown e-mail gets the same answer and nothing', async () => {
    const carol = await m.user('carol@jardins.test');
    const before = sink.received.length;
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'nobody@jardins.test' }, anonymous), 202);
    const asked = is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'Carol@Jardins.test' }, anonymous), 202);
    assert.deepEqual(asked, { requested: true });
    await sent();
    assert.equal(sink.received.length, before + 1, 'one message: for the account that exists');
    const mail = sink.received.at(-1)!;
    assert.deepEqual(mail.to, ['carol@jardins.test']);
    const token = linkIn(mail)!.split('#')[1]!;
    assert.match(linkIn(mail)!, /^https:\/\/panel\.abri\.test\/password-reset#/);
    is(await m.api('GET', '/api/v1/me', undefined, { token: carol.token }), 200);
    is(await m.api('POST', '/api/v1/auth/password-reset/confirm', { token, password: 'short' }, anonymous), 400);
    is(await m.api('POST', '/api/v1/auth/password-reset/confirm', { token, password: 'my brand new password' }, anonymous), 200);
    is(await m.api('GET', '/api/v1/me', undefined, { token: carol.token }), 401);
    is(await m.api('POST', '/api/v1/auth/login', { email: 'carol@jardins.test', password: 'my brand new password' }, anonymous), 200);
    is(await m.api('POST', '/api/v1/auth/password-reset/confirm', { token, password: 'another new password' }, anonymous), 404, 'password_reset.invalid');
    is(await m.api('POST', '/api/v1/auth/password-reset/confirm', { token: 'made-up-token-made-up-token', password: 'another new password' }, anonymous), 404, 'password_reset.invalid');
  });

  test('a reset link expires after an hour; asking again ends the previous link; asking too often is limited', async () => {
    await m.user('dave@jardins.test');
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'dave@jardins.test' }, anonymous), 202);
    await sent();
    const first = linkIn(sink.received.at(-1)!)!.split('#')[1]!;
    clock.advance(61 * 60_000);
    is(await m.api('POST', '/api/v1/auth/password-reset/confirm', { token: first, password: 'my brand new password' }, anonymous), 409, 'password_reset.expired');
    // each sent before the next is asked: one run of the outbox may deliver two messages in either order
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'dave@jardins.test' }, anonymous), 202);
    await sent();
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'dave@jardins.test' }, anonymous), 202);
    await sent();
    const [older, newer] = sink.received.slice(-2).map((r) => linkIn(r)!.split('#')[1]!);
    is(await m.api('POST', '/api/v1/auth/password-reset/confirm', { token: older, password: 'my brand new password' }, anonymous), 404, 'password_reset.invalid');
    is(await m.api('POST', '/api/v1/auth/password-reset/confirm', { token: newer, password: 'my brand new password' }, anonymous), 200);
    // three requests for an e-mail within the hour, then they wait (the first delay is 15 s)
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'dave@jardins.test' }, anonymous), 202);
    await sent();
    const limited = await m.api('POST', '/api/v1/auth/password-reset', { email: 'dave@jardins.test' }, anonymous);
    is(limited, 429, 'auth.rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    clock.advance(15_000);
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'dave@jardins.test' }, anonymous), 202);
    await sent();
  });

  test('a relay that answers 451 is tried again later; 550 fails at once, staff see why and send it again', async () => {
    sink.answerNext(451);
    await m.user('erin@jardins.test');
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'erin@jardins.test' }, anonymous), 202);
    await sent();
    let [row] = await outbox('?q=erin');
    assert.deepEqual([row!.status, row!.attempts], ['queued', 1]);
    assert.match(String(row!.lastError), /451/);
    await sent();
    assert.equal((await outbox('?q=erin'))[0]!.status, 'queued', 'not before its retry delay');
    clock.advance(30_000);
    await sent();
    [row] = await outbox('?q=erin');
    assert.deepEqual([row!.status, row!.attempts], ['sent', 2]);

    sink.answerNext(550);
    await m.user('frank@jardins.test');
    is(await m.api('POST', '/api/v1/auth/password-reset', { email: 'frank@jardins.test' }, anonymous), 202);
    await sent();
    [row] = await outbox('?q=frank');
    assert.deepEqual([row!.status, row!.attempts], ['failed', 1]);
    assert.match(String(row!.lastError), /550/);
    assert.equal((await outbox('?status=failed')).length, 1);
    const resent = is(await m.api('POST', `/api/v1/outbox/${row!.id as string}/resend`), 200);
    assert.equal(resent.status, 'queued');
    await sent();
    [row] = await outbox('?q=frank');
    assert.equal(row!.status, 'sent');
    assert.ok(sink.received.some((r) => r.to.includes('frank@jardins.test')), 'the message arrived with its link');
    is(await m.api('POST', `/api/v1/outbox/${row!.id as string}/resend`), 409, 'outgoing_mail.sent');
  });

  test('customers see no outbox', async () => {
    const owner = await m.user('owner@jardins.test');
    is(await m.join(customerId, 'owner@jardins.test', 'owner'), 201);
    const [row] = await outbox();
    assert.equal((await m.api('GET', '/api/v1/outbox', undefined, { token: owner.token })).status, 403);
    assert.equal((await m.api('GET', `/api/v1/outbox/${row!.id as string}`, undefined, { token: owner.token })).status, 403);
    assert.equal((await m.api('POST', `/api/v1/outbox/${row!.id as string}/resend`, undefined, { token: owner.token })).status, 403);
  });

  test('abri outbox list | show | resend, and customer invite --locale', async () => {
    const as = ['--api', m.url, '--token', m.adminToken];
    const invited = await abri([...as, 'customer', 'invite', customerId, '--email', 'gina@jardins.test', '--locale', 'en']);
    assert.equal(invited.code, 0, invited.stderr);
    await sent();
    assert.match(sink.received.at(-1)!.decoded, /You are invited by admin@abri\.test/);
    const list = await abri([...as, 'outbox', 'list', '--status', 'sent', '--q', 'gina']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /invitation\s+gina@jardins\.test\s+sent/);
    const id = JSON.parse((await abri([...as, '--json', 'outbox', 'list', '--q', 'gina'])).stdout).items[0].id as string;
    const shown = await abri([...as, 'outbox', 'show', id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /invitation#…/);
    const again = await abri([...as, 'outbox', 'resend', id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /sent already/);
    assert.equal((await abri([...as, 'outbox', 'list', '--status', 'lost'])).code, 2, 'a usage error exits 2');
  });
});
