// The verbs of the mail servers' certificates (staff): see one, and obtain it again now. They are
// ordered by themselves (with a mail server's first mail domain, and at the manager's start) and
// renewed by the controller like every certificate; customers never see them.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { Db } from '../platform/db/database.js';
import { findServer } from '../servers/store.js';
import type { ServerRow } from '../servers/model.js';
import { mailHost } from '../dns/mail-records.js';
import { certificateView, type CertificateView } from './model.js';
import { certificateDue, markRenewalDue } from './store.js';
import { mailCertificate, mailCertificateWanted } from './store-mail.js';
import { viewOf } from './operations.js';

async function mailServer(db: Db, ref: string): Promise<ServerRow> {
  const server = await findServer(db, ref);
  if (!server.roles.includes('mail')) throw new AppError('certificate.not_mail_server', `${server.name} is not a mail server`, { params: { server: server.name } });
  return server;
}

async function mailView(app: AppContext, db: Db, server: ServerRow, now: Date): Promise<CertificateView> {
  const row = await mailCertificate(db, server.id);
  if (row) return viewOf(app, db, row, null, now);
  // none ordered yet (no mail domain on it so far, or no ACME directory)
  return certificateView(null, null, {
    now, automatic: !!app.config.acme.directory, platformDomain: app.config.platformDomain, provisioning: null, job: null,
    mail: { server: server.name, host: mailHost(server.name, app.config.platformDomain) },
  });
}

export async function showMailCertificate(app: AppContext, caller: Caller, ref: string): Promise<CertificateView> {
  assertStaff(caller.actor);
  return mailView(app, app.db, await mailServer(app.db, ref), app.clock.now());
}

/** Obtains the mail server's certificate again now (staff). */
export function renewMailCertificate(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const server = await mailServer(c.db, ref);
    const host = mailHost(server.name, app.config.platformDomain);
    if (!host) throw new AppError('certificate.not_found', `${server.name} has no name its mail records point to: name it like mail1.example.net, or set ABRI_PLATFORM_DOMAIN`);
    if (!app.config.acme.directory) throw new AppError('certificate.acme_disabled', 'certificates are not ordered on this platform (ABRI_ACME_DIRECTORY is empty)');
    const row = (await mailCertificateWanted(c.db, server.id, c, app.config.platformDomain))!;
    await markRenewalDue(c.db, row.id, c.now);
    await certificateDue(c.db, row.id, c.now, c, { fresh: true });
    await c.audit({ action: 'certificate.renew', targetType: 'certificate', targetId: row.id, target: host });
    return mailView(app, c.db, server, c.now);
  });
}
