// The `newswatch` command line: start the service (all roles or some), run the demo.
import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { loadAnalyzer } from '../config/data-files';
import { loadConfig } from '../config/env';
import { NewswatchError } from '../errors';
import { createLogger } from '../log';
import { assertRedisReachable } from '../store/redis';
import { parseRoles, ROLES, startService } from '../../workers/service';
import { runDemo } from './demo';
import { loadCorpus } from './corpus';
import { evaluate, formatScore } from './evaluate';
import { extractCommand } from './extract';
import type { Corpus } from './corpus';
import {
  chooseThresholds,
  collectExamples,
  fitModel,
  writeModel,
  type Examples,
  type FitReport,
} from './fit';
import { checkFeeds, formatFeedTable } from './feeds';
import {
  addFeed,
  changeFeed,
  exportFeeds,
  exportOpml,
  formatFeedList,
  importOpml,
  listFeeds,
  removeFeed,
  type AddOptions,
} from './feeds-admin';
import { formatGivenUp, listGivenUp, redriveGivenUp } from './pages';
import { replay } from './replay';
import { addWatch, deleteWatch, formatWatches, listWatches, type AddWatchOptions } from './watches';
import { subscribersCommand } from './subscribers-command';
import { terminalNotice, tokenFilePath, writeTokenFile } from './token-notice';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Known failures end in one line on stderr and a non-zero exit, never a stack trace. */
function fail(err: unknown): never {
  if (err instanceof NewswatchError) {
    process.stderr.write(`newswatch: ${err.message}\n`);
  } else {
    process.stderr.write(`newswatch: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
}

/** `feeds remove` on a terminal: names the feed and takes y or yes; anything else keeps it. */
async function askToRemove(feed: { id: string; name: string; url: string }): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `Remove feed ${feed.id} (${feed.name} <${feed.url}>)? It is polled no more; its articles and events stay, and \`newswatch feeds restore ${feed.id}\` brings it back. [y/N] `,
    );
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

const program = new Command()
  .name('newswatch')
  .version(packageVersion(), '-V, --version', 'print the version of newswatch')
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
    const service = await startService(config, log, roles);
    log.info({ roles, url: service.url }, 'newswatch started');
    if (config.operatorTokenGenerated && roles.includes('http')) {
      // The token itself never goes into the JSON log (src/cli/token-notice.ts).
      if (process.stderr.isTTY) {
        log.warn(
          'OPERATOR_TOKEN is not set: a random token was generated for this run, shown on the terminal',
        );
        process.stderr.write(`${terminalNotice(service.url, config.operatorToken)}\n`);
      } else {
        const file = tokenFilePath(config.prefix);
        await writeTokenFile(file, config.operatorToken);
        log.warn(
          { file },
          'OPERATOR_TOKEN is not set: a random token was generated for this run and written to this file (readable by this user only); set OPERATOR_TOKEN to keep one',
        );
      }
    }
    const stopping = { step: 'starting to stop' };
    const shutdown = async (signal: string) => {
      log.info({ signal }, 'stopping: finishing running jobs');
      // A shutdown that cannot finish (a job or a connection that never answers) must not keep
      // the process forever: past the deadline it exits 1, naming the step. Jobs still running
      // are not lost: BullMQ hands them to another worker once their lock lapses.
      const deadline = setTimeout(() => {
        log.error(
          { signal, waitedMs: config.shutdownTimeoutMs, step: stopping.step },
          'shutdown did not finish; exiting',
        );
        process.exit(1);
      }, config.shutdownTimeoutMs);
      deadline.unref();
      await service.stop(stopping);
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  });

program
  .command('demo')
  .description(
    'the seed scenario end to end against local fixtures, narrated: articles, what was read and expected, what fulfilled it, deliveries, a PASS/FAIL verdict',
  )
  .option('--timeout <seconds>', 'give up after this many seconds', '60')
  .option('--json', 'print each delivered alert as one JSON line instead')
  .action(async (opts: { timeout: string; json?: boolean }) => {
    const config = loadConfig();
    await assertRedisReachable(config.redisUrl);
    process.exitCode = await runDemo(config, { timeoutMs: Number(opts.timeout) * 1000, json: opts.json });
  });

program
  .command('replay')
  .argument(
    '<path>',
    'saved articles: a folder of *.json {url,title,published,lang?,text} and *.html pages, a .jsonl file of records, or a folder of labelled sets with splits.json',
  )
  .description('run saved articles through extraction and matching in published order; one JSON line each')
  .option('--split <name>', 'of a folder with splits.json: replay this split (dev, test)')
  .option('--labelled', 'of a JSON Lines set: only the records marked labelled')
  .option('--unlabelled', 'of a JSON Lines set: only the records not marked labelled')
  .action(async (path: string, opts: ReplayOptions) => {
    const config = loadConfig();
    const corpus = await loadCorpus(path, corpusOptions(opts));
    await replay(config, corpus.items, (line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  });

program
  .command('extract')
  .argument('<inputs...>', 'HTML files, directories of *.html / *.htm, or http(s) URLs')
  .option('--url <url>', "a single FILE's address (default: its canonical link, else its file:// path)")
  .description(
    'read pages into articles: {url,title,published,modified,author,lang,text} as JSON; one line each, with file, for several',
  )
  .action(async (inputs: string[], opts: { url?: string }) => {
    process.exitCode = await extractCommand(inputs, opts);
  });

program
  .command('eval')
  .argument(
    '[path]',
    'a labelled set: articles with gold.json (or labels.json) beside them',
    'test/fixtures/eval',
  )
  .description(
    'replay a labelled set and print same_event and fulfils precision and recall, and main-event coverage',
  )
  .option('--split <name>', 'of a folder with splits.json: score this split (dev, test)')
  .option('--labelled', 'of a JSON Lines set: only the records marked labelled (the default with gold.json)')
  .option('-v, --verbose', 'list every wrong and missed link with the gists of both articles')
  .option('--json', 'print the figures as JSON')
  .option('--replay-out <file>', 'also write the replay lines there (for score.py)')
  .action(
    async (path: string, opts: ReplayOptions & { verbose?: boolean; json?: boolean; replayOut?: string }) => {
      const config = loadConfig();
      const result = await evaluate(config, path, corpusOptions(opts));
      if (opts.replayOut)
        await writeFile(opts.replayOut, result.lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(result.score, null, 2)}\n`
          : `${formatScore(result, opts.verbose === true)}\n`,
      );
    },
  );

program
  .command('fit')
  .argument(
    '<sets...>',
    'labelled sets to fit on: PATH, or PATH:SPLIT for a folder with splits.json (never the test split)',
  )
  .description('fit the matching model on labelled dev data and write it (data/match-model.json)')
  .option('--out <file>', 'where to write the model', 'data/match-model.json')
  .action(async (sets: string[], opts: { out: string }) => {
    const config = loadConfig();
    const analyzer = await loadAnalyzer(config.entitiesFile, config.lexiconFile);
    const all: Examples = { sameEvent: [], fulfils: [] };
    const corpora: Corpus[] = [];
    const must: Corpus[] = [];
    for (const entry of sets) {
      // SET! : every link of this set must hold at the thresholds chosen (the seed pair)
      const held = entry.endsWith('!');
      const set = held ? entry.slice(0, -1) : entry;
      const [path, split] = set.split(/:(?=[a-z]+$)/);
      if (split === 'test')
        throw new NewswatchError('NW_CONFIG_INVALID', `${set}: the test split is never fitted on`);
      if (!existsSync(path!)) {
        process.stderr.write(
          `newswatch: ${path} is absent: fitting without it, so the model differs from the shipped one\n`,
        );
        continue;
      }
      const corpus = await loadCorpus(path!, { split });
      if (!corpus.gold)
        throw new NewswatchError('NW_CONFIG_INVALID', `${set}: no gold.json beside the articles`);
      if (held) must.push(corpus);
      else corpora.push(corpus);
      const ex = collectExamples(analyzer, corpus);
      all.sameEvent.push(...ex.sameEvent);
      all.fulfils.push(...ex.fulfils);
    }
    const report = fitModel(all, sets);
    const chosen = await chooseThresholds(config, analyzer, report.model, corpora, undefined, must);
    const best = chosen.tried.find(
      (t) => t.sameEvent === chosen.model.sameEvent.threshold && t.fulfils === chosen.model.fulfils.threshold,
    );
    report.model = { ...chosen.model, fitted: { ...(report.model.fitted as object), replayed: best } };
    await writeModel(opts.out, report);
    const line = (name: string, o: FitReport['sameEvent']) =>
      `${name.padEnd(10)} ${o.examples} pairs (${o.positives} linked); at threshold ${o.threshold}: precision ${o.precision.toFixed(3)}, recall ${o.recall.toFixed(3)}`;
    const r = (x: { right: number; wrong: number; missed: number }) =>
      `${x.right} right, ${x.wrong} wrong, ${x.missed} missed`;
    const rows = chosen.tried.map(
      (t) =>
        `  same_event ${t.sameEvent.toFixed(2)} fulfils ${t.fulfils.toFixed(2)}: same_event ${r(t.se)}; fulfils ${r(t.fu)}`,
    );
    process.stdout.write(
      [
        `pairs: ${line('same_event', report.sameEvent)}`,
        `pairs: ${line('fulfils', report.fulfils)}`,
        'replayed:',
        ...rows,
        `chosen: same_event ${chosen.model.sameEvent.threshold}, fulfils ${chosen.model.fulfils.threshold}`,
        `wrote ${opts.out}`,
      ].join('\n') + '\n',
    );
  });

interface ReplayOptions {
  split?: string;
  labelled?: boolean;
  unlabelled?: boolean;
}

function corpusOptions(opts: ReplayOptions) {
  if (opts.labelled && opts.unlabelled)
    throw new NewswatchError('NW_CONFIG_INVALID', '--labelled and --unlabelled exclude each other');
  return {
    split: opts.split,
    labelled: opts.labelled ? true : opts.unlabelled ? false : undefined,
  };
}

const feeds = program.command('feeds').description('the feeds newswatch polls');
feeds
  .command('check')
  .argument('[ids...]', 'only these feeds (all when none is named)')
  .description("print every feed's state: last success, last error, error streak, items seen, next poll")
  .option('--now', 'poll each feed once first (new items go to the scrape queue)')
  .option('--json', 'print the rows as JSON')
  .action(async (ids: string[], opts: { now?: boolean; json?: boolean }) => {
    const config = loadConfig();
    await assertRedisReachable(config.redisUrl);
    const rows = await checkFeeds(config, createLogger(), { now: opts.now === true, ids });
    process.stdout.write(
      opts.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatFeedTable(rows, new Date())}\n`,
    );
  });

// Run-time feed changes go straight to Redis (src/cli/feeds-admin.ts); a running service picks them up.
const adminRun = async (run: (config: ReturnType<typeof loadConfig>) => Promise<string>) => {
  const config = loadConfig();
  await assertRedisReachable(config.redisUrl);
  process.stdout.write(`${await run(config)}\n`);
};
feeds
  .command('add')
  .argument(
    '<url>',
    'the feed (RSS, Atom, RDF or JSON Feed), or a listing page with --item-selector and --link-selector; it is fetched and read before it is added',
  )
  .description(
    'add a feed at run time; refused when the URL is no feed, a selector finds nothing, or the URL is polled already',
  )
  .option('--item-selector <css>', 'listing page (type html): CSS selector of each news item')
  .option('--link-selector <css>', "listing page: the item's link, inside the item or the item itself")
  .option('--title-selector <css>', "listing page: the item's title, inside it (default: the link text)")
  .option(
    '--date-selector <css>',
    "listing page: the item's date, inside it (a datetime attribute or date text)",
  )
  .option('--name <name>', 'display name (default: host and path)')
  .option('--lang <lang>', 'ar or en (default: the language of its items)')
  .option('--schedule <cron>', "cron schedule, 5 fields (default: '*/10 * * * *')")
  .option('--tags <tags>', 'region tags for subscriber filters, comma-separated (default: manual)')
  .option('--id <id>', 'feed id, a slug (default: from the name)')
  .option('--alert-backlog', 'alert on what the feed lists at its first poll and on old articles too')
  .action((url: string, opts: AddOptions) => adminRun((c) => addFeed(c, createLogger('warn'), url, opts)));
feeds
  .command('import')
  .argument('<file>', 'an OPML file, as feed readers export their subscriptions')
  .description(
    'add every feed outline of an OPML file as `feeds add` does; prints per outline: added, already polled, or refused and why (exit code 1 when any is refused)',
  )
  .action((file: string) =>
    adminRun(async (c) => {
      const { report, ok } = await importOpml(c, createLogger('warn'), file);
      if (!ok) process.exitCode = 1;
      return report;
    }),
  );
for (const action of ['pause', 'resume', 'restore'] as const) {
  feeds
    .command(action)
    .argument('<id>', 'feed id')
    .description(
      {
        pause: 'stop polling a feed',
        resume: 'poll a paused feed again',
        restore:
          'poll a removed feed again under its id, with its history: what it listed before is not news again',
      }[action],
    )
    .action((id: string) => adminRun((c) => changeFeed(c, createLogger('warn'), action, id)));
}
feeds
  .command('remove')
  .argument('<id>', 'feed id')
  .description(
    'stop polling a feed; its articles and events stay, `feeds list --removed` lists it and `feeds restore` brings it back. Asks first on a terminal',
  )
  .option('-y, --yes', 'remove without asking (needed when stdin is not a terminal)')
  .action((id: string, opts: { yes?: boolean }) => {
    if (!opts.yes && !process.stdin.isTTY)
      fail(
        new NewswatchError(
          'NW_NOT_CONFIRMED',
          `feeds remove asks for confirmation, and stdin is not a terminal: run \`newswatch feeds remove ${id} --yes\` to remove it`,
        ),
      );
    return adminRun((c) => removeFeed(c, createLogger('warn'), id, opts.yes ? undefined : askToRemove));
  });
feeds
  .command('list')
  .description('every feed: id, state, where it was declared, schedule, language')
  .option('--removed', 'include removed feeds')
  .option('--json', 'print the feeds as JSON')
  .action((opts: { removed?: boolean; json?: boolean }) =>
    adminRun(async (c) => {
      const list = await listFeeds(c, createLogger('warn'), { removed: opts.removed === true });
      return opts.json ? JSON.stringify(list, null, 2) : formatFeedList(list);
    }),
  );
feeds
  .command('export')
  .description(
    'print the feeds added at run time as feeds.yml entries; with --opml, every feed polled as OPML 2.0',
  )
  .option('--opml', 'every feed polled (feeds.yml and run time) as an OPML file for other feed readers')
  .action((opts: { opml?: boolean }) =>
    adminRun((c) => (opts.opml ? exportOpml : exportFeeds)(c, createLogger('warn'))),
  );

const pages = program.command('pages').description('article pages the scrape stage gave up');
pages
  .command('given-up')
  .description('pages given up, newest first: id, when, reason, attempts, feed, URL and the last error')
  .option('--limit <n>', 'at most this many', '100')
  .option('--offset <n>', 'skip this many first', '0')
  .option('--json', 'print the pages as JSON')
  .action((opts: { limit: string; offset: string; json?: boolean }) =>
    adminRun(async (c) => {
      const list = await listGivenUp(c, createLogger('warn'), {
        limit: count('--limit', opts.limit, 1),
        offset: count('--offset', opts.offset, 0),
      });
      return opts.json ? JSON.stringify(list, null, 2) : formatGivenUp(list);
    }),
  );
pages
  .command('redrive')
  .argument('<id>', 'the given-up page id (the first column of `newswatch pages given-up`)')
  .description('scrape a given-up page again from its first attempt, under the same job id')
  .action((id: string) => adminRun((c) => redriveGivenUp(c, createLogger('warn'), id)));

const watches = program
  .command('watches')
  .description("subscribers' watches: entities and words that raise article.match for every new article");
const repeat = (value: string, previous: string[] = []) => [...previous, value];
watches
  .command('list')
  .description('every watch: id, subscriber, name and what it looks for')
  .option('--json', 'print the watches as JSON')
  .action((opts: { json?: boolean }) =>
    adminRun(async (c) => {
      const list = await listWatches(c, createLogger('warn'));
      return opts.json ? JSON.stringify(list, null, 2) : formatWatches(list);
    }),
  );
watches
  .command('add')
  .description(
    'add a watch: its subscriber gets article.match for every new article naming its entities and/or holding one of its keywords',
  )
  .requiredOption(
    '--subscriber <id>',
    'the subscriber its alerts go to (subscribers.yml or added at run time)',
  )
  .requiredOption('--name <name>', 'what the subscriber calls it (unique per subscriber)')
  .option('--entity <id>', 'a gazetteer entity id the article must name (repeat for more)', repeat)
  .option('--all', 'the article must name every --entity (default: any of them)')
  .option(
    '--keyword <words>',
    'a word or phrase the title or text must hold (repeat for more; any of them); "in quotes" for a phrase, Kuw* for a prefix',
    repeat,
  )
  .option('--lang <lang>', 'only articles in ar or en')
  .action((opts: AddWatchOptions) => adminRun((c) => addWatch(c, createLogger('warn'), opts)));
watches
  .command('delete')
  .argument('<id>', 'the watch id (the first column of `newswatch watches list`)')
  .description('delete a watch; the alerts it raised stay')
  .action((id: string) => adminRun((c) => deleteWatch(c, createLogger('warn'), id)));
subscribersCommand(program);

/** A whole number option of at least `min`, or an error naming the option. */
function count(option: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new NewswatchError(
      'NW_CONFIG_INVALID',
      `${option}: ${JSON.stringify(value)} is not a whole number of at least ${min}`,
    );
  return Number(value);
}

program.parseAsync(process.argv).catch(fail);
