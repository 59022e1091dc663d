// Sizes measured by database servers, and the read-only hysteresis of the offer's database space:
// above databaseMb (summed over a hosting's databases) the hosting's databases become read-only,
// back under 90 % of it they get their writes back. A flip is a change of the platform itself,
// audited, and a revision for the database server (which then applies the new privileges).
import type { AppContext } from '../platform/context.js';
import { systemCaller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import type { ObjectUsage } from '../node/protocol.js';
import { MB, readOnlyAfter } from './rules.js';
import { databaseStamps, recordSizes, setReadOnly } from './store-databases.js';

export async function recordDatabaseUsage(app: AppContext, serverId: string, usage: ObjectUsage[] | undefined): Promise<void> {
  const sizes = (usage ?? []).filter((u) => u.kind === 'database').map((u) => ({ id: u.id, bytes: u.bytes }));
  if (!sizes.length) return;
  await change(app, systemCaller('database sizes', 'upkeep'), async (c) => {
    c.staffOnly(); // the platform itself, on what a server measured of its own databases
    const flips: string[] = [];
    for (const h of await recordSizes(c.db, serverId, sizes, c.now)) {
      const was = h.readOnlySince !== null;
      const now = readOnlyAfter(was, h.usedBytes, h.databaseMb);
      if (now === was) continue;
      await setReadOnly(c.db, h.id, now ? c.now : null);
      await c.audit({
        action: now ? 'database.writes_refused' : 'database.writes_restored', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId,
        after: { usedBytes: h.usedBytes, maxBytes: h.databaseMb * MB },
      });
      flips.push(h.id);
    }
    if (flips.length) await c.bump('database space quota', [serverId], flips.flatMap(databaseStamps));
    else c.nothingToAudit(); // sizes are measures, not decisions
  });
}
