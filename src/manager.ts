// The manager process: database, HTTP API, and (first start) the setup link for the first admin.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { openDatabase, type DatabaseHandle } from './platform/db/database.js';
import type { Config } from './platform/config.js';
import type { AppContext } from './platform/context.js';
import { buildServer } from './platform/http/server.js';
import { randomSecret } from './platform/secrets.js';
import { SecretBox } from './platform/secret-box.js';
import { version } from './platform/version.js';
import { allRoutes } from './routes.js';
import { authenticateAgent } from './agent/routes.js';
import { authenticate } from './accounts/authenticate.js';
import { countAdmins } from './accounts/store-users.js';
import { staticUi } from './platform/http/static-ui.js';
import { challengeResponder } from './certs/challenge-responder.js';
import { registerCertificateJobs } from './certs/controller.js';
import { registerOutboxJobs } from './outbox/send.js';
import { registerMailJobs } from './mail/operations-dkim.js';
import { platformCertificateWanted } from './certs/store.js';
import { mailCertificatesWanted } from './certs/store-mail.js';
import { JobRegistry } from './jobs/registry.js';
import { registerMailHealthJob } from './mail/operations-health.js';
import { registerBackupJobs } from './backups/operations.js';
import { JobRunner } from './jobs/runner.js';
import { ensurePlatformZone } from './dns/site-zones.js';
import { publishDbadminSettings } from './databases/operations-dbadmin-settings.js';
import { publishWebmailSettings } from './mail/operations-webmail.js';
import { ensureLocalServer, rotateServerToken } from './servers/store.js';
import { LocalAgent, type AgentHandle } from './agent/local.js';
import { systemClock, type Clock } from './platform/clock.js';
import { registerWorksJobs } from './works/operations-export.js';
import { registerBillingJobs } from './billing/renewals.js';
import { registerDunning } from './billing/operations-dunning.js';
import { registerOrders } from './billing/operations-order-provision.js';
import { registerWorkNoticeJobs } from './works/operations-notify.js';
import { serveWorksPage } from './works/serve.js';

/** How long a stopping manager lets requests under way finish before it cuts the connections still open. */
const CLOSE_GRACE_MS = 5000;

export interface Manager {
  app: AppContext;
  server: FastifyInstance;
  url: string;
  /** the agent of this machine, in a worker thread (null when ABRI_LOCAL_AGENT=0) */
  agent: AgentHandle | null;
  /** the job runner of this process (certificates, and every capability's background work) */
  jobs: JobRunner;
  close(): Promise<void>;
}

export interface ManagerOptions {
  config: Config;
  log: Logger;
  /** an already open database (tests); otherwise opened from the config */
  database?: DatabaseHandle;
  /** listen on this port instead of the configured one (0 = any free port) */
  port?: number;
  /** where the first-start instructions go (default: stderr) */
  announce?: (text: string) => void;
  /** time (tests move a ManualClock) */
  clock?: Clock;
  /** where new RSA key pairs come from (default: node:crypto makes each) */
  rsaKeyPair?: AppContext['rsaKeyPair'];
}

export async function startManager(opts: ManagerOptions): Promise<Manager> {
  const { config, log } = opts;
  const database = opts.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, command: 'serve' }));
  const needsAdmin = (await countAdmins(database.db)) === 0;
  let box: SecretBox | null = null;
  const app: AppContext = {
    db: database.db, config, log, version, clock: opts.clock ?? systemClock, setupToken: needsAdmin ? randomSecret(24) : null,
    secrets: () => (box ??= SecretBox.load(config.secretKey, config.dataDir)),
    ...(opts.rsaKeyPair ? { rsaKeyPair: opts.rsaKeyPair } : {}),
  };
  const server = await buildServer({ app, routes: allRoutes, authenticate, authenticateAgent, extend: (s) => {
    challengeResponder(s, app);
    if (config.works.serve && config.works.exportDir) serveWorksPage(s, config.works.exportDir);
    return staticUi(s);
  } });
  try {
    await server.listen({ host: config.listen.host, port: opts.port ?? config.listen.port });
  } catch (e) {
    await database.close();
    throw e;
  }
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.listen.port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  const url = `http://${host}:${port}`;
  log.info({ url, database: database.kind, dataDir: config.dataDir }, 'manager listening');
  if (app.setupToken) {
    const base = opts.port !== undefined ? url : config.publicUrl;
    log.warn({ setupUrl: `${base}/setup#${app.setupToken}` }, 'no administrator yet');
    (opts.announce ?? ((text) => process.stderr.write(text)))(
      `\nNo administrator yet. Create the first one:\n` +
        `  in a browser:  ${base}/setup#${app.setupToken}\n` +
        `  or stop the manager and run:  abri admin create --email you@example.org --password-stdin\n\n`,
    );
  }
  await ensurePlatformZone(app);
  await publishDbadminSettings(app);
  await publishWebmailSettings(app);
  if (config.platformDomain) await platformCertificateWanted(database.db, { now: app.clock.now() });
  if (config.acme.directory) await mailCertificatesWanted(database.db, { now: app.clock.now() }, config.platformDomain); // each mail server's (issue 12)
  const registry = new JobRegistry();
  // certificate jobs run where certificates are ordered (without a directory they wait, listed as due)
  if (config.acme.directory) registerCertificateJobs(registry, app);
  registerOutboxJobs(registry, app); // the platform's e-mail: invitations, password resets…
  registerMailHealthJob(registry);
  registerMailJobs(registry); // retired DKIM keys leave DNS after their delay
  registerBackupJobs(registry); // every hosting gets a repository on a backup server
  // the public works page is exported after each change (and once now): to the status servers, the outside targets, ABRI_WORKS_EXPORT_DIR
  await registerWorksJobs(registry, app);
  registerBillingJobs(registry, app); // renewal invoices, once the seller's settings allow them
  registerDunning(registry, app); // reminders, suspension, termination of unpaid invoices; a payment lifts a suspension
  registerOrders(registry, app); // a paid order's hosting is made; unpaid orders are cancelled after the seller's orderDays
  registerWorkNoticeJobs(registry, app); // works told by e-mail, webhooks, Mastodon
  const jobs = await new JobRunner(app, registry, { log: log.child({ runner: 'jobs' }) }).start();
  let agent: AgentHandle | null = null;
  if (config.localAgent) {
    const local = await ensureLocalServer(database.db, 'local');
    const managerHost = ['0.0.0.0', '::'].includes(config.listen.host) ? '127.0.0.1' : config.listen.host;
    // the local agent speaks the agent protocol like any other, with a token made for this run
    const token = await rotateServerToken(database.db, local.id, app.clock.now());
    const hostInUrl = managerHost.includes(':') ? `[${managerHost}]` : managerHost;
    agent = new LocalAgent(
      { config, url: `http://${hostInUrl}:${port}`, token, manager: { address: managerHost, port }, logLevel: log.level, name: local.name },
      log.child({ agent: local.name }),
    ).start();
  }
  const manager: Manager = {
    app,
    server,
    url,
    agent,
    jobs,
    async close() {
      await jobs.stop();
      await manager.agent?.stop();
      // requests under way get a few seconds to finish; then connections still open (a browser that
      // keeps polling on a kept-alive connection, a long poll) are cut, so a stop never hangs on them
      const cut = setTimeout(() => server.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await server.close();
      } finally {
        clearTimeout(cut);
      }
      if (!opts.database) await database.close();
    },
  };
  return manager;
}
