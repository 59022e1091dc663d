import { readFileSync } from 'node:fs';
import { isAbsent } from './absent.js';

/** The package version, read once from package.json next to src/ or dist/. */
export const version: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch (e) {
    if (!isAbsent(e)) throw e;
    return '0.0.0'; // a copy of src/ without its package.json
  }
})();
