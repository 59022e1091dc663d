// A web server's backup driver alone in a process of its own (test/agent-backups.test.ts kills it with
// SIGKILL in the middle of a backup). Usage: node --import tsx test/helpers/backup-agent.ts <spec.json>
// where spec.json is { root, limitUploadKib, hostings: DesiredBackup[] }. It makes the backups that are
// due (all: its state is new) and exits.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { LocalExecutor } from '../../src/platform/executor.js';
import { BackupDriver } from '../../src/backups/apply-backups.js';
import type { DesiredState } from '../../src/node/protocol.js';
import type { DesiredBackup } from '../../src/node/protocol-backups.js';

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { root: string; limitUploadKib: number; hostings: DesiredBackup[] };
const driver = new BackupDriver(new LocalExecutor(), spec.root, true, { dailyAt: 180, limitUploadKib: spec.limitUploadKib }, undefined, pino({ level: 'silent' }));
await driver.reconcile({ revision: 1, server: { id: 'x', name: 'x', roles: ['web'] }, backups: { hostings: spec.hostings } } as DesiredState);
await driver.runDue();
driver.stop();
