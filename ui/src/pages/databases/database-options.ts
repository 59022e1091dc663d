// The databases of a hosting as choices of a checklist (what a database user may use), by name.
import { useGet } from '../../api/query.js';
import type { Option } from '../../components/fields.js';

export function useDatabaseOptions(hostingId: string): Option[] {
  const all = useGet('/hostings/{id}/databases', { path: { id: hostingId }, query: { limit: 1000, sort: 'name' } });
  return (all.data?.items ?? []).map((d) => ({ value: d.name, label: d.name }));
}
