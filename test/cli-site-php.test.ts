// `abri site php` against a real manager (the web server side: test/web-php-settings.test.ts):
// shown as a table, changed with options, put back with "default", refused beyond the offer in one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';

describe('site php command over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('site php shows, changes and resets settings within the offer', async () => {
    const { hosting } = await seedHosting(cli.m, { offer: { phpMemoryMb: 512, phpUploadMaxMb: 100 } });
    await json('site', 'add', 'php-cli.example.org', '--hosting', hosting.name);
    const table = await run('site', 'php', 'php-cli.example.org');
    assert.match(table, /^PHP settings of php-cli\.example\.org$/m);
    assert.match(table, /^memory_limit\s+512M\s+512M\s+default$/m);
    assert.match(table, /^display_errors\s+off\s+default$/m);
    const changed = await json('site', 'php', 'php-cli.example.org', '--memory-limit', '256M', '--upload-max-filesize', '20M', '--post-max-size', '24M', '--display-errors', 'on', '--max-execution-time', '60');
    assert.deepEqual(changed.values, { memoryLimit: '256M', uploadMaxFilesize: '20M', postMaxSize: '24M', maxExecutionTime: 60, maxInputVars: 1000, displayErrors: true });
    assert.match(await run('site', 'php', 'php-cli.example.org'), /^memory_limit\s+256M\s+512M\s+set$/m);
    const reset = await json('site', 'php', 'php-cli.example.org', '--memory-limit', 'default', '--display-errors', 'default');
    assert.deepEqual([reset.values.memoryLimit, reset.values.displayErrors, reset.chosen.memoryLimit], ['512M', false, undefined]);
    assert.match(oneLineError(await abri(['site', 'php', 'php-cli.example.org', '--memory-limit', '1G'], cli.env)), /php\.above_offer/);
    assert.match(oneLineError(await abri(['site', 'php', 'php-cli.example.org', '--post-max-size', '10M'], cli.env)), /php\.post_below_upload/);
    assert.match(oneLineError(await abri(['site', 'php', 'php-cli.example.org', '--memory-limit', '12x'], cli.env)), /256M or 1G/);
  });
});
