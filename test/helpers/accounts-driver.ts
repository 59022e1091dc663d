// A driver for agent tests that need the hostings' Unix accounts and homes but not Apache and PHP:
// the real code of the web driver (ensureAccounts), nothing else.
import type { Driver } from '../../src/node/driver.js';
import type { DesiredState } from '../../src/node/protocol.js';
import { LocalExecutor } from '../../src/platform/executor.js';
import { ensureAccounts } from '../../src/hosting/apply-accounts.js';
import type { HomeStorage } from '../../src/hosting/apply-storage.js';
import type { WebHostingSpec } from '../../src/hosting/spec.js';

/** The hostings' accounts and homes, made by the real code of the web driver (without Apache and PHP). */
export class AccountsDriver implements Driver {
  readonly name = 'accounts';
  constructor(
    private readonly recordsDir: string,
    private readonly storage: HomeStorage,
  ) {}
  handles(s: DesiredState) {
    return !!s.web;
  }
  async reconcile(s: DesiredState) {
    const specs = s.web!.hostings.map((h) => ({ ...h, gid: h.uid, sites: [] }) as unknown as WebHostingSpec);
    const problems = await ensureAccounts(new LocalExecutor(), specs, { webUser: 'www-data', recordsDir: this.recordsDir, storage: this.storage });
    if (problems.size) throw new Error(JSON.stringify([...problems]));
    return { objects: [] };
  }
}
