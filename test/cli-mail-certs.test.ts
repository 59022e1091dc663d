// `abri cert mail` against a real manager without an ACME directory: a mail server's certificate is
// shown for the name its mail records point to; renewing it is refused in one line (exit 1); a
// server that is no mail server has none; `abri cert list` names mail servers' certificates.
// (Ordering and serving them: test/api-mail-certs.test.ts, test/agent-mail-certs.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('abri cert mail', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('shows a mail server\'s certificate; renewing without ACME and a server that is no mail server are refused', async () => {
    await json('server', 'add', '--name', 'mail1.cli-certs.test', '--role', 'mail', '--address', '192.0.2.94');
    await json('server', 'add', '--name', 'web-1', '--role', 'web', '--address', '192.0.2.95');
    const shown = await json('cert', 'mail', 'mail1.cli-certs.test');
    assert.equal(shown.kind, 'mail');
    assert.equal(shown.server, 'mail1.cli-certs.test');
    assert.deepEqual(shown.wanted, ['mail1.cli-certs.test']);
    assert.equal(shown.status, 'none');
    assert.match(await run('cert', 'mail', 'mail1.cli-certs.test'), /kind\s*:?\s*mail/);
    assert.match(oneLineError(await abri(['cert', 'mail', 'mail1.cli-certs.test', '--renew'], cli.env)), /certificate\.acme_disabled|ABRI_ACME_DIRECTORY/);
    assert.match(oneLineError(await abri(['cert', 'mail', 'web-1'], cli.env)), /web-1 is not a mail server/);
    assert.match(oneLineError(await abri(['cert', 'mail', 'nowhere-server'], cli.env)), /not found/i);
  });
});
