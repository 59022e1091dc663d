// The public works page as files, from the works as the API shows them: pure (no I/O, the time of
// the export is given), so the same input gives the same bytes (golden files in test/golden/works).
//
//   index.html, style.css
//   fr/index.html, en/index.html             the list: under way, upcoming, finished, the record
//   fr/works/N.html, en/works/N.html         one page per work, with its history
//   fr/calendar.html, en/calendar.html       the month view of the planned works
//   fr/atom.xml, fr/feed.json, fr/works.ics  the feeds (and the same in en/)
import type { RenderedFile } from '../platform/render.js';
import { atomFeed, icalFeed, jsonFeed } from './render-site-feeds.js';
import { calendarPage, listPage, rootPage, stylesheet, workPage } from './render-site-html.js';
import { langs, workPath, type WorksSiteInput } from './render-site-text.js';

export type { WorksSiteInput } from './render-site-text.js';

export function renderWorksSite(site: WorksSiteInput): RenderedFile[] {
  const file = (path: string, content: string): RenderedFile => ({ path, content, mode: 0o644 });
  const files = [file('index.html', rootPage(site)), file('style.css', stylesheet)];
  for (const lang of langs) {
    files.push(file(`${lang}/index.html`, listPage(lang, site)), file(`${lang}/calendar.html`, calendarPage(lang, site)), file(`${lang}/atom.xml`, atomFeed(lang, site)), file(`${lang}/feed.json`, jsonFeed(lang, site)),
      file(`${lang}/works.ics`, icalFeed(lang, site)));
    for (const w of site.works) files.push(file(workPath(lang, w.number), workPage(lang, site, w)));
  }
  return files;
}
