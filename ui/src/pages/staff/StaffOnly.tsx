// The staff area: customers' users who open a /staff address see "Not found".
import type { ReactNode } from 'react';
import { NotFound } from '../../components/Page.js';
import { useSession } from '../../session.js';

export function StaffOnly({ children }: { children: ReactNode }) {
  const { isStaff } = useSession();
  return isStaff ? <>{children}</> : <NotFound />;
}
