// Works through the API: staff announce, move, start, end and tell; the history keeps every move
// (the database refuses to rewrite it); states and times follow the rules; a customer sees only the
// works affecting its hostings (a work on server W shows to the customer with a hosting on W, not
// to another elsewhere); the record counts how often a plan held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { ManualClock } from '../src/platform/clock.js';

for (const database of testDatabases()) {
  test(`works (${database.name})`, async (t) => {
    const clock = new ManualClock('2026-12-01T10:00:00Z');
    const m = await startTestManager({ database, clock });
    t.after(() => m.close());
    const at = (iso: string) => clock.set(new Date(iso));
    for (const [name, roles, address] of [['web-1', ['web'], '192.0.2.10'], ['web-2', ['web'], '192.0.2.11'], ['ns-1', ['dns'], '192.0.2.53']] as const) {
      assert.equal((await m.api('POST', '/api/v1/servers', { name, roles, addresses: [address] })).status, 201);
    }
    const { a, b, asA, asB, reader } = await alphaAndBravo(m);
    assert.equal((await m.api('PATCH', `/api/v1/hostings/${a.hosting.id}`, { serverId: 'web-1' })).status, 200);
    assert.equal((await m.api('PATCH', `/api/v1/hostings/${b.hosting.id}`, { serverId: 'web-2' })).status, 200);
    const maintenance = {
      kind: 'maintenance', title: { fr: 'Mise à jour de web-1', en: 'Upgrade of web-1' }, text: { fr: 'Redémarrage.', en: 'Restart.' },
      affects: { servers: ['web-1'] }, plannedStart: '2026-12-02T02:30:00Z', plannedMinutes: 30,
    };
    let work: { id: string; number: number };

    await t.test('staff announce a maintenance on a server: it affects the hostings there', async () => {
      const r = await m.api('POST', '/api/v1/works', maintenance);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      work = r.body;
      assert.deepEqual([r.body.state, r.body.plannedEnd, r.body.affects.servers[0].name, r.body.affected.hostings, r.body.affected.customers], ['planned', '2026-12-02T03:00:00.000Z', 'web-1', 1, 1]);
      assert.deepEqual(r.body.affected.yours, [{ id: a.hosting.id, name: a.hosting.name }]);
      assert.deepEqual(r.body.history.map((h: { event: string }) => h.event), ['created']);
      assert.equal(r.body.history[0].author, 'admin@abri.test');
    });

    await t.test('a customer sees the works on its hostings, never the others\'', async () => {
      const mine = await asA('GET', '/api/v1/works');
      assert.deepEqual(mine.body.items.map((w: { id: string }) => w.id), [work.id]);
      assert.deepEqual((await asA('GET', `/api/v1/hostings/${a.hosting.id}/works`)).body.items.map((w: { id: string }) => w.id), [work.id]);
      const shown = await asA('GET', `/api/v1/works/${work.number}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.history[0].author, null, 'customers do not see who wrote it');
      assert.equal((await m.api('GET', '/api/v1/works', undefined, { token: reader.token })).body.total, 1);
      assert.equal((await asB('GET', '/api/v1/works')).body.total, 0);
      assert.equal((await asB('GET', `/api/v1/hostings/${b.hosting.id}/works`)).body.total, 0);
      assert.equal((await asB('GET', `/api/v1/works/${work.id}`)).body.code, 'work.not_found');
      assert.equal((await asB('GET', `/api/v1/works/${work.number}`)).status, 404);
      assert.equal((await asB('GET', `/api/v1/hostings/${a.hosting.id}/works`)).body.code, 'hosting.not_found');
    });

    await t.test('customers cannot write works', async () => {
      assert.equal((await asA('POST', '/api/v1/works', maintenance)).body.code, 'auth.staff_only');
      assert.equal((await asA('PATCH', `/api/v1/works/${work.id}`, { plannedMinutes: 5 })).body.code, 'auth.staff_only');
      assert.equal((await asA('POST', `/api/v1/works/${work.id}/updates`, { state: 'cancelled' })).body.code, 'auth.staff_only');
    });

    await t.test('a move of the plan is kept in the history, with why', async () => {
      at('2026-12-01T12:00:00Z');
      const r = await m.api('PATCH', `/api/v1/works/${work.id}`, { plannedStart: '2026-12-02T03:00:00Z', plannedMinutes: 20, note: { fr: 'Décalé.', en: 'Moved.' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const plan = r.body.history[1];
      assert.deepEqual([plan.event, plan.previousStart, plan.previousMinutes, plan.plannedStart, plan.plannedMinutes, plan.text.en, plan.at],
        ['plan', '2026-12-02T02:30:00.000Z', 30, '2026-12-02T03:00:00.000Z', 20, 'Moved.', '2026-12-01T12:00:00.000Z']);
      const audit = await m.api('GET', '/api/v1/audit?q=work.update');
      assert.ok(audit.body.items.some((e: { action: string }) => e.action === 'work.update'));
      // the texts change without a move: no plan event
      const texts = await m.api('PATCH', `/api/v1/works/${work.id}`, { title: { fr: 'Mise à jour', en: 'Upgrade' } });
      assert.equal(texts.body.history.length, 2);
    });

    await t.test('the history is never rewritten, even by SQL', async () => {
      const db = m.manager.app.db;
      await assert.rejects(sql`UPDATE work_history SET text_en = 'rewritten' WHERE work_id = ${work.id}`.execute(db), /never rewritten/);
      await assert.rejects(sql`DELETE FROM work_history WHERE work_id = ${work.id}`.execute(db), /never rewritten/);
    });

    await t.test('states follow the kind, times come from the clock, end after start', async () => {
      assert.equal((await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'done' })).body.code, 'work.transition_refused');
      assert.equal((await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'resolved' })).body.code, 'work.state_invalid');
      assert.equal((await m.api('POST', `/api/v1/works/${work.id}/updates`, {})).body.code, 'work.update_empty');
      assert.equal((await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'in_progress', at: '2026-12-01T12:00:01Z' })).body.code, 'work.time_in_future');
      at('2026-12-02T03:01:00Z');
      const started = await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'in_progress', text: { fr: 'C\'est parti.', en: 'Started.' } });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      assert.deepEqual([started.body.state, started.body.startedAt], ['in_progress', '2026-12-02T03:01:00.000Z']);
      assert.equal((await m.api('PATCH', `/api/v1/works/${work.id}`, { plannedMinutes: 60 })).body.code, 'work.started', 'once started, the plan stays as announced');
      assert.equal((await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'done', at: '2026-12-02T03:00:00Z' })).body.code, 'work.end_before_start');
      at('2026-12-02T03:15:00Z');
      const note = await m.api('POST', `/api/v1/works/${work.id}/updates`, { text: { fr: 'Presque fini.', en: 'Almost done.' } });
      assert.equal(note.body.history.at(-1).event, 'note');
      at('2026-12-02T03:20:00Z');
      const done = await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'done' });
      assert.deepEqual([done.body.state, done.body.finished, done.body.endedAt, done.body.actualMinutes, done.body.heldPlan], ['done', true, '2026-12-02T03:20:00.000Z', 19, true]);
      assert.equal((await m.api('POST', `/api/v1/works/${work.id}/updates`, { state: 'cancelled' })).body.code, 'work.finished');
      assert.deepEqual(done.body.history.map((h: { event: string }) => h.event), ['created', 'plan', 'state', 'note', 'state']);
    });

    await t.test('what a work must say', async () => {
      const bad = async (body: Record<string, unknown>, code: string) => assert.equal((await m.api('POST', '/api/v1/works', { ...maintenance, ...body })).body.code, code, JSON.stringify(body));
      await bad({ plannedStart: undefined }, 'work.plan_required');
      await bad({ plannedMinutes: 0 }, 'request.validation');
      await bad({ kind: 'incident' }, 'work.plan_not_allowed');
      await bad({ affects: {} }, 'work.affects_nothing');
      await bad({ affects: { servers: ['nowhere'] } }, 'work.server_not_found');
    });

    await t.test('an incident on the DNS servers affects every hosting; its states move freely until resolved', async () => {
      const r = await m.api('POST', '/api/v1/works', { kind: 'incident', title: { fr: 'Panne DNS', en: 'DNS outage' }, affects: { roles: ['dns'] }, startedAt: '2026-12-02T03:10:00Z' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual([r.body.state, r.body.startedAt, r.body.affected.hostings, r.body.affected.customers], ['investigating', '2026-12-02T03:10:00.000Z', 2, 2]);
      assert.equal((await asB('GET', `/api/v1/works/${r.body.id}`)).status, 200);
      assert.equal((await asB('GET', `/api/v1/works/${r.body.id}`)).body.affected.hostings, 1, 'a customer counts its own hostings only');
      for (const state of ['monitoring', 'identified', 'resolved']) assert.equal((await m.api('POST', `/api/v1/works/${r.body.id}/updates`, { state })).body.state, state);
      const resolved = await m.api('GET', `/api/v1/works/${r.body.id}`);
      assert.deepEqual([resolved.body.actualMinutes, resolved.body.heldPlan], [10, null]);
      const open = await m.api('GET', '/api/v1/works?open=true');
      assert.equal(open.body.total, 0);
    });

    await t.test('a planned work cancelled before it starts has no actual times; the record counts what was done', async () => {
      const r = await m.api('POST', '/api/v1/works', { ...maintenance, affects: { platform: true }, plannedStart: '2026-12-03T02:00:00Z' });
      const cancelled = await m.api('POST', `/api/v1/works/${r.body.id}/updates`, { state: 'cancelled', text: { fr: 'Annulé.', en: 'Cancelled.' } });
      assert.deepEqual([cancelled.body.state, cancelled.body.startedAt, cancelled.body.endedAt], ['cancelled', null, null]);
      assert.equal((await asB('GET', '/api/v1/works')).body.total, 2, 'a platform work affects everyone');
      const record = await asB('GET', '/api/v1/works/record');
      assert.deepEqual(record.body, { finished: 1, held: 1, share: 1, months: [{ month: '2026-12', finished: 1, held: 1 }] });
    });
  });
}
