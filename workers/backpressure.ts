// Backpressure from analysis to scraping. Scraping is cheap and analysis is serial (one lock for
// the whole base), so after a big poll the scrapers run far ahead and take the CPU analysis
// needs: the articles wait scraped but unread, and every alert comes later. While too many
// articles wait for analysis, this process stops taking scrape jobs (those running finish, and a
// fetch the worker was already blocked in may still bring one); below half the limit it takes
// them again. Nothing is lost: scrape jobs wait in their queue.
import type { Queue, Worker } from 'bullmq';
import type { Logger } from '../src/log';

export interface Backpressure {
  stop(): void;
}

export function scrapeBackpressure(opts: {
  scrape: Worker;
  analyze: Queue;
  /** analyze jobs waiting at which scraping pauses; it resumes below half of it */
  limit: number;
  log: Logger;
  everyMs?: number;
}): Backpressure {
  const { scrape, analyze, limit, log } = opts;
  let paused = false;
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const waiting = await analyze.getWaitingCount();
      if (!paused && waiting >= limit) {
        paused = true;
        // Jobs already running finish; no new one is taken.
        void scrape.pause(true);
        log.info({ waiting, limit }, 'scraping paused: articles wait for analysis');
      } else if (paused && waiting < limit / 2) {
        paused = false;
        scrape.resume();
        log.info({ waiting, limit }, 'scraping resumed');
      }
    } catch (err) {
      // Redis away: the workers report it; scraping stays as it was.
      log.debug({ err: (err as Error).message }, 'backpressure check failed');
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), opts.everyMs ?? 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (paused) scrape.resume();
    },
  };
}
