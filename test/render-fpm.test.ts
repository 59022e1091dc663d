// Golden-file tests of the PHP-FPM renderer (test/golden/fpm/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFpm, renderFpmSystemdDropIn } from '../src/hosting/render-fpm-pool.js';
import type { WebNodeSpec } from '../src/hosting/spec.js';
import { goldenTests } from './harness/golden.js';

goldenTests('fpm', (input: WebNodeSpec) => renderFpm(input));

test('the systemd drop-in gives FPM masters the spec umask', () => {
  const spec = { revision: 1, webServer: { user: 'www-data', group: 'www-data' }, fpmUmask: 0o022, php: {}, hostings: [],
    apache: { configDir: '/a', runDir: '/a/run', logDir: '/a/log', modulesDir: '/m', listenAddress: '127.0.0.1', listenPort: 80, extraDirectives: [] } };
  assert.match(renderFpmSystemdDropIn(spec).content, /^UMask=0022$/m);
});
