// `newswatch pages given-up|redrive`: the article pages the scrape stage gave up, straight on
// Redis like `newswatch feeds`, through the same store and re-drive as the API and the page
// /pages/given-up. A running service's scrape workers take a re-driven page up at once.
import type { Config } from '../config/env';
import { NewswatchError } from '../errors';
import type { Logger } from '../log';
import { redrivePage } from '../pipeline/owed-pages';
import { requeueScrape } from '../queue/requeue';
import type { GivenUpPage } from '../store/given-up-pages';
import { createContext, type Context } from '../../workers/context';
import { formatTable } from './table';

async function withContext<T>(config: Config, log: Logger, run: (ctx: Context) => Promise<T>): Promise<T> {
  const ctx = await createContext(config, log);
  try {
    return await run(ctx);
  } finally {
    await ctx.close();
  }
}

export function listGivenUp(
  config: Config,
  log: Logger,
  opts: { limit: number; offset: number },
): Promise<GivenUpPage[]> {
  return withContext(config, log, (ctx) => ctx.stores.givenUp.list(opts));
}

export function redriveGivenUp(config: Config, log: Logger, id: string): Promise<string> {
  return withContext(config, log, async (ctx) => {
    const page = await redrivePage(
      { givenUp: ctx.stores.givenUp, requeue: requeueScrape(ctx.queues.scrape) },
      id,
    );
    if (!page) throw new NewswatchError('NW_NOT_FOUND', `no given-up page "${id}"`);
    return `re-driven ${page.id}: ${page.url} (feed ${page.feedId}) is scraped again from its first attempt`;
  });
}

export function formatGivenUp(pages: readonly GivenUpPage[]): string {
  if (pages.length === 0) return 'no pages given up';
  const rows = pages.map((p) => [p.id, p.at, p.reason, String(p.attempts), p.feedId, p.url, p.error]);
  const header = ['ID', 'GIVEN UP', 'REASON', 'ATTEMPTS', 'FEED', 'URL', 'LAST ERROR'];
  return formatTable(header, rows);
}
