// The purge of terminated hostings on a web server (side effects): their homes and Unix accounts are
// deleted (purgeAccounts). A driver of its own, run after the drivers of what lives in a hosting
// (SFTP and FTP users, scheduled tasks): those have already removed the hosting's SFTP accounts,
// which share its uid and primary group (groupdel refuses a group that is another account's primary
// group), so one pass purges it.
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { objectState, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState } from '../node/protocol.js';
import type { NodeLayout } from '../node/layout.js';
import { purgeAccounts } from './apply-accounts.js';
import { HomeStorage } from './apply-storage.js';

export class PurgeDriver implements Driver {
  readonly name = 'purge';
  private readonly storage: HomeStorage;

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    log: Logger,
  ) {
    this.storage = new HomeStorage(exec, node.disk, log);
  }

  handles(state: DesiredState) {
    return !!state.web?.purges?.length;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const purges = state.web?.purges ?? [];
    if (!this.node.apply) return { objects: [] }; // a render-only node deletes nothing
    const results = await purgeAccounts(this.exec, purges, this.layout.accountsDir, this.storage);
    return {
      objects: [...results].map(([id, err]) => {
        const name = purges.find((p) => p.id === id)!.name;
        return objectState('purge', id, 'live', err ? { code: 'web.purge_failed', params: { name, detail: err }, message: err } : null);
      }),
    };
  }
}
