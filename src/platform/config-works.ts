// The settings of the public works page: read by config.ts; each bad value is refused with
// config.invalid naming its key.
import path from 'node:path';
import { AppError } from './errors.js';
import type { RawSettings } from './config-values.js';

export interface WorksSettings {
  /** where the static page is written after each change (null = not exported) */
  exportDir: string | null;
  /** the manager serves the exported page at /works/ */
  serve: boolean;
  /** the page's title, e.g. "Travaux de Web4all" */
  title: string;
  /** where the page is published (absolute URL without trailing slash): the feeds' links */
  publicUrl: string;
}

export function worksSettings(raw: RawSettings, publicUrl: string): WorksSettings {
  const dir = raw.ABRI_WORKS_EXPORT_DIR!.trim();
  const serve = raw.ABRI_WORKS_SERVE!.trim();
  const title = raw.ABRI_WORKS_TITLE!.trim();
  const url = (raw.ABRI_WORKS_URL!.trim() || `${publicUrl}/works`).replace(/\/+$/, '');
  if (dir && !path.isAbsolute(dir)) throw new AppError('config.invalid', `ABRI_WORKS_EXPORT_DIR must be an absolute path or empty (got "${dir}")`);
  if (serve !== '0' && serve !== '1') throw new AppError('config.invalid', `ABRI_WORKS_SERVE must be 0 or 1 (got "${serve}")`);
  if (serve === '1' && !dir) throw new AppError('config.invalid', 'ABRI_WORKS_SERVE=1 serves the exported page: set ABRI_WORKS_EXPORT_DIR too');
  if (!title || title.length > 100 || /[\u0000-\u001f<>&]/.test(title)) throw new AppError('config.invalid', `ABRI_WORKS_TITLE must be 1 to 100 characters without <, > or & (got "${title}")`);
  if (!/^https?:\/\/[^\s"<>]+$/.test(url)) throw new AppError('config.invalid', `ABRI_WORKS_URL must be an http(s) URL (got "${url}")`);
  return { exportDir: dir || null, serve: serve === '1', title, publicUrl: url };
}
