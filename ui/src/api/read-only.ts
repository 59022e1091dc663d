// The platform's read-only mode (GET /api/v1/platform/read-only): read by every page (its banner) and
// by the session (customers' change buttons are disabled while it is on). Asked again every minute,
// so a scheduled start shows, and after any change the API refused with platform.read_only.
import { useGet } from './query.js';

export const useReadOnly = () => useGet('/platform/read-only', {}, { staleTime: 30_000, refetchInterval: 60_000 }).data;
