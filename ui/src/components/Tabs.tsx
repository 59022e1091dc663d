// Tabs that are pages (each has its own address): a navigation list marking the current one.
import { Link } from '../router.js';

export function TabLinks({ label, tabs, current }: { label: string; tabs: Array<{ id: string; label: string; to: string }>; current: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.id}>
            <Link to={tab.to} aria-current={tab.id === current ? 'page' : undefined}>{tab.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
