// Worker thread of the manager's local agent (see local.ts): the same agent as `abri agent`, over
// HTTP with the local server's token, reporting its applies to the manager's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../platform/logger.js';
import { HttpManagerLink, type ManagerLink } from './client.js';
import { createNodeAgent } from './node.js';
import { NOT_STARTED, type FromWorker, type LocalAgentData, type ToWorker } from './local.js';

const data = workerData as LocalAgentData;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const log = createLogger(data.logLevel).child({ agent: data.name });
const http = new HttpManagerLink(data.url, data.token);

const link: ManagerLink = {
  fetch: (since, waitMs, signal) => http.fetch(since, waitMs, signal),
  certificate: (id) => http.certificate(id),
  queries: (waitMs, signal) => http.queries(waitMs, signal),
  answer: (id, answer) => http.answer(id, answer),
  worksPage: () => http.worksPage(),
  cronRuns: (runs) => http.cronRuns(runs), // the scheduled tasks' runs of the manager's own machine
  snapshotRestores: (reports) => http.snapshotRestores(reports),
  async report(report) {
    await http.report(report);
    // the agent counts the apply in the turn that follows the report: tell the manager's thread then
    setImmediate(() => post({ type: 'applied', applied: agent.applied }));
  },
};
const agent = createNodeAgent({ config: data.config, link, log, manager: data.manager, managerUrl: data.url }).start();

port.on('message', (m: ToWorker) => {
  if (m.type === 'apply') {
    agent.apply(m.state, { repair: m.repair }).then(
      () => post({ type: 'done', id: m.id, applied: agent.applied }),
      (e: Error) => post({ type: 'done', id: m.id, applied: agent.applied, error: e.message }),
    );
  } else if (m.type === 'stop') {
    void agent.stop().then(() => process.exit(0));
  }
});

// another agent holds the machine (the agent logged why): the manager runs on without a local agent
agent.finished().catch((e: Error) => {
  log.warn({ err: e }, 'the local agent did not start; the manager runs without one');
  process.exit(NOT_STARTED);
});
