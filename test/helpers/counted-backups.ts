// The backup driver of the backup tests' web and data servers (test/helpers/backup-world.ts,
// backup-parts-world.ts): the product's BackupDriver, keeping the states it applied (to know the agent
// has the latest), and able to give the repositories it uses cheaper keys (test/harness/restic-keys.ts:
// every later restic command opens them in a millisecond instead of 0.2–0.5 s of scrypt).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BackupDriver } from '../../src/backups/apply-backups.js';
import { backupServerPaths } from '../../src/backups/apply-repositories.js';
import type { DesiredState } from '../../src/node/protocol.js';
import type { BackupRunReport } from '../../src/node/protocol-backups.js';
import { cheapenRepositoryKeys } from '../harness/restic-keys.js';

export class CountedBackups extends BackupDriver {
  states: DesiredState[] = [];
  override async reconcile(state: DesiredState) {
    const r = await super.reconcile(state);
    this.states.push(state);
    return r;
  }

  /** The keys of the repositories made so far (on the backup server rooted at `backupRoot`, this machine) made cheap. */
  async cheapenKeys(backupRoot: string): Promise<void> {
    for (const h of this.states.at(-1)?.backups?.hostings ?? []) {
      const repo = path.join(backupServerPaths(backupRoot).chrootDir, h.account, 'repo');
      if (existsSync(path.join(repo, 'config'))) await cheapenRepositoryKeys(repo, h.password);
    }
  }
}

/**
 * A server's report of its backup runs to the manager, after the repositories' keys were made cheap:
 * a repository the run just made (`restic init`, the product's KDF) opens cheaply before the test
 * sees the run.
 */
export const cheapKeysThen = (driver: () => CountedBackups, backupRoot: string, send: (runs: BackupRunReport[]) => Promise<void>) =>
  async (runs: BackupRunReport[]) => {
    await driver().cheapenKeys(backupRoot);
    await send(runs);
  };
