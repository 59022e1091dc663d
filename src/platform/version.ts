import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to src/ or dist/. */
export const version: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
