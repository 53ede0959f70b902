// The `newswatch` command line: start the service (all roles or some), run the demo.
import { Command } from 'commander';
import { loadConfig } from '../config/env';
import { NewswatchError } from '../errors';
import { createLogger } from '../log';
import { assertRedisReachable } from '../store/redis';
import { parseRoles, ROLES, startService } from '../../workers/service';
import { runDemo } from './demo';
import { evaluate, formatScores } from './evaluate';
import { replay } from './replay';

/** Known failures end in one line on stderr and a non-zero exit, never a stack trace. */
function fail(err: unknown): never {
  if (err instanceof NewswatchError) {
    process.stderr.write(`newswatch: ${err.message}\n`);
  } else {
    process.stderr.write(`newswatch: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
}

const program = new Command()
  .name('newswatch')
  .description('Watches Gulf and NATO news; alerts when what an earlier article expected happens.');

program
  .command('start')
  .description('run the service: scheduler, stage workers and HTTP server')
  .option('--role <roles>', `comma-separated roles to run (${ROLES.join(', ')})`, ROLES.join(','))
  .action(async (opts: { role: string }) => {
    const config = loadConfig();
    const roles = parseRoles(opts.role);
    await assertRedisReachable(config.redisUrl);
    const log = createLogger();
    if (config.operatorTokenGenerated && roles.includes('http')) {
      log.warn(
        'OPERATOR_TOKEN is not set: a random token was generated for this run; set OPERATOR_TOKEN to keep one',
      );
    }
    const service = await startService(config, log, roles);
    log.info({ roles, url: service.url }, 'newswatch started');
    const shutdown = async (signal: string) => {
      log.info({ signal }, 'stopping: finishing running jobs');
      await service.stop();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  });

program
  .command('demo')
  .description(
    'the seed scenario end to end against local fixtures; prints each delivered alert as a JSON line',
  )
  .option('--timeout <seconds>', 'give up after this many seconds', '60')
  .action(async (opts: { timeout: string }) => {
    const config = loadConfig();
    await assertRedisReachable(config.redisUrl);
    process.exitCode = await runDemo(config, Number(opts.timeout) * 1000);
  });

program
  .command('replay')
  .argument('<dir>', 'folder of saved articles: *.json {url,title,published,lang?,text} and *.html pages')
  .description('run saved articles through extraction and matching in published order; one JSON line each')
  .action(async (dir: string) => {
    const config = loadConfig();
    await assertRedisReachable(config.redisUrl);
    await replay(config, dir, (line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  });

program
  .command('eval')
  .argument('[dir]', 'a replay folder with labels.json', 'test/fixtures/eval')
  .description('replay a labelled folder and print precision, recall and F1 per match kind')
  .action(async (dir: string) => {
    const config = loadConfig();
    await assertRedisReachable(config.redisUrl);
    process.stdout.write(`${formatScores(await evaluate(config, dir))}\n`);
  });

program.parseAsync(process.argv).catch(fail);
