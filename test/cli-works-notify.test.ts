// `abri work notices|channel|deliveries|redeliver` against a real manager and a real HTTP listener:
// my e-mail choice; a webhook added with its secret from a file (never printed back), told about a
// work, its delivery listed; set, remove; errors in one line; usage errors exit 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';
import { startHttpListener } from './helpers/http-listener.js';

describe('work notices and channels over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('work notices, channel add/list/set/remove, deliveries, redeliver', async (t) => {
    const hook = await startHttpListener();
    t.after(() => hook.close());
    const dir = mkdtempSync(path.join(tmpdir(), 'abri-worksnotify-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const secretFile = path.join(dir, 'secret');
    writeFileSync(secretFile, 'a-secret-kept-in-a-file-0123\n', { mode: 0o600 });

    assert.match(await run('work', 'notices'), /^you receive: all \(e-mail when a work is announced, plan, started, ended\)$/m);
    assert.equal((await json('work', 'notices', '--receive', 'incidents')).receive, 'incidents');
    assert.match(oneLineError(await abri(['work', 'notices', '--receive', 'sometimes'], cli.env), 2), /--receive/);

    const added = await run('work', 'channel', 'add', '--kind', 'webhook', '--name', 'status-bot', '--url', `${hook.url}/abri`, '--secret-file', secretFile);
    assert.match(added, /^channel status-bot added \(its secret is never shown\)/);
    assert.ok(!added.includes('a-secret-kept-in-a-file'), 'the secret is not printed');
    assert.match(oneLineError(await abri(['work', 'channel', 'add', '--kind', 'webhook', '--name', 'x', '--url', hook.url], cli.env), 2), /--secret/);
    assert.match(oneLineError(await abri(['work', 'channel', 'add', '--kind', 'webhook', '--name', 'status-bot', '--url', hook.url, '--secret', 'another-long-secret-value'], cli.env)), /work_channel\.name_taken/);

    const work = await json('work', 'add', '--kind', 'incident', '--title-en', 'Slowness', '--platform');
    let listed = await json('work', 'deliveries', '--channel', 'status-bot');
    for (let i = 0; i < 600 && listed.items[0]?.status !== 'sent'; i++) { // the manager's runner delivers it
      await new Promise((r) => setTimeout(r, 100));
      listed = await json('work', 'deliveries', '--channel', 'status-bot');
    }
    assert.deepEqual([listed.items[0].workNumber, listed.items[0].event, listed.items[0].status], [work.number, 'announced', 'sent']);
    assert.equal(hook.received[0]!.headers['abri-event'], 'work.announced');
    assert.match(oneLineError(await abri(['work', 'redeliver', listed.items[0].id], cli.env)), /work_delivery\.sent/);
    assert.match(await run('work', 'channel', 'list'), /^status-bot\s+webhook\s+http:\/\/127\.0\.0\.1:\d+\/abri\s+en\s+true\s+sent /m);

    assert.equal((await json('work', 'channel', 'set', 'status-bot', '--disable')).enabled, false);
    assert.match(oneLineError(await abri(['work', 'channel', 'set', 'status-bot'], cli.env), 2), /nothing to change/);
    assert.match(await run('work', 'channel', 'remove', 'status-bot'), /channel status-bot removed/);
    assert.match(oneLineError(await abri(['work', 'channel', 'remove', 'status-bot'], cli.env)), /work_channel\.not_found/);
  });
});
