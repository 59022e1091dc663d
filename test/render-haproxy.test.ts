// Golden-file tests of the HAProxy edge renderer (test/golden/haproxy/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeMapEntries, renderHaproxy } from '../src/edge/render-haproxy.js';
import type { EdgeSpec } from '../src/edge/spec.js';
import { goldenTests } from './harness/golden.js';

goldenTests('haproxy', (input: EdgeSpec) => renderHaproxy(input));

test('map entries follow httpsMode and suspension', () => {
  const spec: EdgeSpec = { revision: 1, configDir: '/e', runtimeSocket: '/e/s', bindAddress: '0.0.0.0', httpPort: 80, maxConnections: 100,
    manager: { address: '127.0.0.1', port: 8080 }, backends: [{ name: 'web1', address: '10.0.0.2', port: 80 }],
    hosts: [
      { host: 'b.example.org', backend: 'web1', httpsMode: 'redirect', suspended: true },
      { host: 'a.example.org', backend: 'web1', httpsMode: 'both', suspended: false },
    ] };
  assert.deepEqual(edgeMapEntries(spec), [['a.example.org', 'web_web1'], ['b.example.org', 'abri_suspended']]);
});
