// Whether the user may change a site: its own module, read by the site page and its tabs.
import type { Site } from '../api/model.js';
import { useGet } from '../api/query.js';
import { useSession } from '../session.js';
import { hostingWritable } from './HostingPage.js';

/** Whether the user may change this site (its hosting's state and the user's role decide). */
export function useSiteWritable(site: Site) {
  const session = useSession();
  const hosting = useGet('/hostings/{id}', { path: { id: site.hostingId } });
  return !!hosting.data && hostingWritable(hosting.data, session);
}
