// `abri work` against a real manager: add (maintenance with its plan, incident), list, show with its
// history, update (a move kept), start, note, end, cancel, record; the page's outside targets (add, list,
// show, push, remove); errors in one line; usage errors exit 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('work commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('work add/list/show/update/start/note/end/cancel/record', async () => {
    await json('server', 'add', '--name', 'web-7', '--role', 'web', '--address', '192.0.2.77');
    const added = await run('work', 'add', '--kind', 'maintenance', '--title-fr', 'Mise à jour', '--title-en', 'Upgrade', '--server', 'web-7',
      '--start', '2026-01-10T02:30:00Z', '--minutes', '30');
    const n = /^work #(\d+) announced\n#\d+ maintenance — Upgrade \/ Mise à jour\nstate: planned\naffects: web-7 \(0 hostings, 0 customers\)\nplanned: 2026-01-10T02:30:00.000Z \(30 min\)/.exec(added)?.[1];
    assert.ok(n, added);
    assert.match(await run('work', 'list'), new RegExp(`^${n}\\s+maintenance\\s+planned\\s+Upgrade\\s+2026-01-10T02:30:00.000Z \\(30 min\\)`, 'm'));
    const moved = await run('work', 'update', n!, '--start', '2026-01-10T03:00:00Z', '--note-en', 'Moved by half an hour.');
    assert.match(moved, /moved from 2026-01-10T02:30:00.000Z \(30 min\) to 2026-01-10T03:00:00.000Z \(30 min\) by admin@abri\.test: Moved by half an hour\./);
    const started = await json('work', 'start', n!, '--at', '2025-12-31T23:00:00Z');
    assert.deepEqual([started.state, started.startedAt], ['in_progress', '2025-12-31T23:00:00.000Z']);
    assert.match(await run('work', 'note', n!, '--text-en', 'Half way.'), /: Half way\./);
    const ended = await json('work', 'end', n!, '--at', '2025-12-31T23:20:00Z');
    assert.deepEqual([ended.state, ended.actualMinutes, ended.heldPlan], ['done', 20, true]);
    assert.match(await run('work', 'record'), /^1 of 1 planned works held their announced duration \(100%\)\n {2}2025-12: 1 of 1$/m);

    const incident = await json('work', 'add', '--kind', 'incident', '--title-en', 'Mail delays', '--role', 'mail');
    assert.deepEqual([incident.state, incident.title.fr], ['investigating', 'Mail delays']);
    assert.equal((await json('work', 'note', String(incident.number), '--state', 'identified')).state, 'identified');
    assert.equal((await json('work', 'end', String(incident.number))).state, 'resolved');
    assert.equal((await json('work', 'list', '--open')).total, 0);

    const planned = await json('work', 'add', '--kind', 'evolution', '--title-en', 'PHP 8.3', '--platform', '--start', '2026-02-01T00:00:00Z', '--minutes', '60');
    assert.equal((await json('work', 'cancel', String(planned.number), '--text-en', 'Postponed.')).state, 'cancelled');

    assert.match(oneLineError(await abri(['work', 'start', String(planned.number)], cli.env)), /work\.finished/);
    assert.match(oneLineError(await abri(['work', 'add', '--kind', 'maintenance', '--title-en', 'x', '--platform'], cli.env)), /work\.plan_required/);
    assert.match(oneLineError(await abri(['work', 'show', '999'], cli.env)), /work\.not_found/);
    assert.match(oneLineError(await abri(['work', 'add', '--kind', 'outage', '--title-en', 'x'], cli.env), 2), /--kind/);
    assert.match(oneLineError(await abri(['work', 'add', '--kind', 'incident', '--platform'], cli.env), 2), /title/);
    assert.match(oneLineError(await abri(['work', 'update', n!], cli.env), 2), /nothing to change/);
  });

  it('work target add/list/show/push/remove', async () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKl6c1+7uT0VrhnN4hGEm0m2kFq7pE1lY0TnYt2bQ1Xo';
    const added = await run('work', 'target', 'add', 'mirror', '--host', '127.0.0.1', '--port', '9', '--user', 'abri', '--path', '/srv/status', '--host-key', `[127.0.0.1]:9 ${key}`);
    assert.match(added, /^target mirror added: put this line in ~abri\/\.ssh\/authorized_keys on 127\.0\.0\.1, then `abri work target push mirror`:\necdsa-sha2-nistp256 \S+ abri-works-mirror\n/);
    assert.match(await run('work', 'target', 'list'), /^mirror\s+abri@127\.0\.0\.1:9\/srv\/status\s+/m);
    assert.equal((await json('work', 'target', 'show', 'mirror')).hostKey, key);
    assert.match(await run('work', 'target', 'push', 'mirror'), /^target mirror: push started/);
    assert.match(oneLineError(await abri(['work', 'target', 'add', 'other', '--host', 'x', '--user', 'abri', '--path', 'relative', '--host-key', key], cli.env)), /work_target\.invalid/);
    assert.match(oneLineError(await abri(['work', 'target', 'add', 'other', '--user', 'abri', '--path', '/x', '--host-key', key], cli.env), 2), /--host/);
    assert.match(await run('work', 'target', 'remove', 'mirror'), /target mirror removed/);
    assert.match(oneLineError(await abri(['work', 'target', 'show', 'mirror'], cli.env)), /work_target\.not_found/);
  });
});
