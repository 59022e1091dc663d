import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { readFileSync, readdirSync } from 'node:fs';
const dir = '/work/wt/suitetime/node_modules/.cache/abri-test/';
const tar = new Blob([readFileSync(process.env.TAR)]);
const extra = process.argv.slice(2);
const mod = extra.includes('mod') ? await WebAssembly.compile(readFileSync('/work/wt/suitetime/node_modules/@electric-sql/pglite/dist/pglite.wasm')) : undefined;
const fsBundle = extra.includes('bundle') ? new Blob([readFileSync('/work/wt/suitetime/node_modules/@electric-sql/pglite/dist/pglite.data')]) : undefined;
const params = extra.filter(e => e.includes('='));
for (let i = 0; i < 4; i++) {
  const c0 = process.cpuUsage();
  const lite = await PGlite.create(undefined, { extensions: { pg_trgm }, loadDataDir: tar, ...(params.length ? { startParams: [...PGlite.defaultStartParams, ...params.flatMap(p => ['-c', p])] } : {}), ...(mod ? { pgliteWasmModule: mod } : {}), ...(fsBundle ? { fsBundle } : {}) });
  const c1 = process.cpuUsage(c0);
  await lite.query('select count(*) from pg_class');
  await lite.close();
  console.log(extra.join(' '), 'open', ((c1.user+c1.system)/1000).toFixed(0));
}
