// Golden-file tests of the Apache renderers (test/golden/apache/): main config + sites/.
import { renderApacheMain } from '../src/hosting/render-apache-main.js';
import { renderApacheVhosts } from '../src/hosting/render-apache-vhost.js';
import type { WebNodeSpec } from '../src/hosting/spec.js';
import { goldenTests } from './harness/golden.js';

goldenTests('apache', (input: WebNodeSpec) => [...renderApacheMain(input), ...renderApacheVhosts(input).map((f) => ({ ...f, path: `sites/${f.path}` }))]);
