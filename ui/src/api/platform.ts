// What the platform offers (GET /api/v1/platform): its domain for sites' platform addresses, its
// name servers, whether it obtains certificates by itself. Read once per session.
import { useGet } from './query.js';

export const usePlatform = () => useGet('/platform', {}, { staleTime: 10 * 60_000 }).data;
