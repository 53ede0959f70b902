// `newswatch watches list|add|delete`: subscribers' watches straight on Redis, through the same
// WatchAdmin as the API and the /watches page (validation, the subscriber and entities checked, a
// duplicate name refused). A running service reads the watches at every article, so a change
// applies from the next article analysed.
import type { Config } from '../config/env';
import type { Watch } from '../domain/watch';
import { NewswatchError } from '../errors';
import type { Logger } from '../log';
import { WatchAdminError, type WatchAdmin } from '../watches/admin';
import { createContext } from '../../workers/context';
import { watchAdmin } from '../../workers/watches';
import { formatTable } from './table';

export interface AddWatchOptions {
  subscriber?: string | undefined;
  name?: string | undefined;
  entity?: string[] | undefined;
  keyword?: string[] | undefined;
  all?: boolean | undefined;
  lang?: string | undefined;
}

async function withAdmin<T>(config: Config, log: Logger, run: (admin: WatchAdmin) => Promise<T>): Promise<T> {
  const ctx = await createContext(config, log);
  try {
    return await run(watchAdmin(ctx));
  } catch (err) {
    // One line naming the field, like the API's 400, rather than a stack trace.
    if (err instanceof WatchAdminError)
      throw new NewswatchError(err.status === 404 ? 'NW_NOT_FOUND' : 'NW_CONFIG_INVALID', err.message);
    throw err;
  } finally {
    await ctx.close();
  }
}

export function listWatches(config: Config, log: Logger): Promise<Watch[]> {
  return withAdmin(config, log, (admin) => admin.list());
}

export function addWatch(config: Config, log: Logger, opts: AddWatchOptions): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    const watch = await admin.create({
      subscriberId: opts.subscriber ?? '',
      name: opts.name ?? '',
      ...(opts.entity?.length ? { entities: opts.entity, entityMatch: opts.all ? 'all' : 'any' } : {}),
      ...(opts.all && !opts.entity?.length ? { entityMatch: 'all' } : {}),
      ...(opts.keyword?.length ? { keywords: opts.keyword } : {}),
      ...(opts.lang !== undefined ? { language: opts.lang } : {}),
    });
    return `added watch ${watch.id} (${watch.name}) for ${watch.subscriberId}: ${describe(watch)}`;
  });
}

export function deleteWatch(config: Config, log: Logger, id: string): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    const watch = await admin.remove(id);
    return `deleted watch ${watch.id} (${watch.name}) of ${watch.subscriberId}`;
  });
}

/** What a watch looks for, in one line. */
export function describe(w: Watch): string {
  const parts = [
    w.entities?.length ? `entities ${w.entities.join(w.entityMatch === 'all' ? ' and ' : ' or ')}` : '',
    w.keywords?.length ? `keywords ${w.keywords.join(' | ')}` : '',
    w.language ? `in ${w.language}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

export function formatWatches(watches: readonly Watch[]): string {
  if (watches.length === 0) return 'no watches';
  const rows = watches.map((w) => [w.id, w.subscriberId, w.name, describe(w)]);
  const header = ['ID', 'SUBSCRIBER', 'NAME', 'LOOKS FOR'];
  return formatTable(header, rows);
}
