// `abri agent`: the agent of a server, talking to the manager over HTTP with the server's token.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { loadConfig } from '../platform/config.js';
import { CliError } from './api-client.js';

export function registerAgentCommand(program: Command) {
  program
    .command('agent')
    .description(about.agent)
    .requiredOption('--manager <url>', 'manager URL, e.g. https://manager.example.org')
    .option('--token <token>', 'the server\'s agent token (abri server add prints it; or ABRI_AGENT_TOKEN)')
    .option('--apply', 'apply configs for real (ABRI_APPLY=1); otherwise render-only')
    .action(async (opts: { manager: string; token?: string; apply?: boolean }, command: Command) => {
      // `abri --token` (the API token) is a program-wide option: commander hands `abri agent --token T`
      // to the program, not to this command, so look there too
      const token = opts.token ?? (command.parent?.opts() as { token?: string } | undefined)?.token ?? process.env.ABRI_AGENT_TOKEN;
      if (!token) throw new CliError('give the agent token with --token or ABRI_AGENT_TOKEN');
      let url: URL;
      try {
        url = new URL(opts.manager);
      } catch (e) {
        throw new CliError(`--manager must be a URL like http://127.0.0.1:8080 (got "${opts.manager}": ${(e as Error).message})`);
      }
      const config = loadConfig(process.env, opts.apply ? { ABRI_APPLY: '1' } : {});
      const [{ createLogger }, { HttpManagerLink }, { createNodeAgent }] = await Promise.all([
        import('../platform/logger.js'), import('../agent/client.js'), import('../agent/node.js'),
      ]);
      const log = createLogger(config.logLevel);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const agent = createNodeAgent({
        config,
        link: new HttpManagerLink(url.origin, token),
        log,
        manager: { address: url.hostname.replace(/^\[|\]$/g, ''), port },
        managerUrl: url.origin,
      }).start();
      log.info({ manager: url.origin }, 'agent started');
      const stop = async () => {
        await agent.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      try {
        await agent.finished();
      } catch (e) {
        throw new CliError((e as Error).message); // e.g. another agent already runs on this machine
      }
    });
}
