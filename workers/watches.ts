// Wiring of the watch admin (src/watches/admin.ts) from the service's context: the store, the
// subscribers (subscribers.yml's and run-time ones) and the gazetteer it checks against. Shared by
// the API, the /watches page and `newswatch watches`.
import { newWatchId } from '../src/store/watches';
import { WatchAdmin } from '../src/watches/admin';
import type { Context } from './context';

export function watchAdmin(ctx: Context): WatchAdmin {
  return new WatchAdmin({
    store: ctx.stores.watches,
    subscriberExists: async (id) => (await ctx.delivery.subscriber(id)) !== undefined,
    entityExists: (id) => ctx.analyzer.gazetteer.get(id) !== undefined,
    newId: newWatchId,
    now: ctx.now,
  });
}

/** The gazetteer's entities for the page's picker: id, name and kind, by kind then name. */
export function entityChoices(ctx: Context): { id: string; name: string; kind: string }[] {
  const order = ['country', 'organisation', 'person', 'place', 'programme', 'media'];
  return ctx.analyzer.gazetteer
    .list()
    .map((e) => ({ id: e.id, name: ctx.analyzer.nameOf(e.id), kind: e.kind }))
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.name.localeCompare(b.name));
}
