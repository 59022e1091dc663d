// Per-site PHP settings as stored (sites.php_settings, migration 0018) and the offer's bounds on them.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { storedPhp, type PhpBounds, type SitePhpSettings } from './model-php.js';

/** A site's chosen settings and the bounds of its hosting's offer (the site exists: found by findSite). */
export async function sitePhpOf(db: Db, siteId: string): Promise<{ chosen: SitePhpSettings; bounds: PhpBounds; offerName: string }> {
  const row = await db
    .selectFrom('sites')
    .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .select(['sites.phpSettings', 'offers.name', 'offers.phpMemoryMb', 'offers.phpUploadMaxMb', 'offers.phpMaxExecutionSeconds'])
    .where('sites.id', '=', siteId)
    .executeTakeFirstOrThrow();
  return {
    chosen: storedPhp(row.phpSettings),
    bounds: { phpMemoryMb: row.phpMemoryMb, phpUploadMaxMb: row.phpUploadMaxMb, phpMaxExecutionSeconds: row.phpMaxExecutionSeconds },
    offerName: row.name,
  };
}

export async function writeSitePhp(db: Db, siteId: string, settings: SitePhpSettings, now: Date): Promise<void> {
  await db
    .updateTable('sites')
    .set({ phpSettings: sql`${JSON.stringify(settings)}::jsonb`, updatedAt: now })
    .where('id', '=', siteId)
    .execute();
}
