// Tabs that are pages (each has its own address): a navigation list; the current tab's link is
// marked aria-current="page" by the router.
import type { ReactElement } from 'react';

export function TabLinks({ label, tabs }: { label: string; tabs: Array<{ id: string; link: ReactElement }> }) {
  return (
    <nav className="tabs" aria-label={label}>
      <ul>
        {tabs.map((tab) => <li key={tab.id}>{tab.link}</li>)}
      </ul>
    </nav>
  );
}
