// One way to create, replace and delete watches, shared by the API (/api/watches), the page
// (/watches) and the command line (`newswatch watches`): the input validated with zod, then the
// subscriber and every entity checked, then a name the subscriber uses already refused. A refusal
// is a WatchAdminError naming the field, answered 400/404/409 by the API and beside the field by
// the page.
import { problemsOf } from '../feeds/admin';
import { Refusal, type Problem } from '../refusal';
import { watchInputSchema, type Watch, type WatchInput } from '../domain/watch';
import type { WatchStore } from '../store/watches';

export class WatchAdminError extends Refusal<'NW_BAD_REQUEST' | 'NW_NOT_FOUND' | 'NW_CONFLICT'> {}

export interface WatchAdminDeps {
  store: Pick<WatchStore, 'list' | 'get' | 'put' | 'remove'>;
  /** a subscriber of subscribers.yml or one added at run time */
  subscriberExists(id: string): Promise<boolean>;
  /** the gazetteer knows the id */
  entityExists(id: string): boolean;
  newId(): string;
  now(): Date;
}

export class WatchAdmin {
  constructor(private readonly deps: WatchAdminDeps) {}

  list(): Promise<Watch[]> {
    return this.deps.store.list();
  }

  async get(id: string): Promise<Watch> {
    const watch = await this.deps.store.get(id);
    if (!watch) throw notFound(id);
    return watch;
  }

  async create(input: unknown): Promise<Watch> {
    const parsed = await this.check(input);
    const watch: Watch = { ...parsed, id: this.deps.newId(), createdAt: this.deps.now().toISOString() };
    await this.deps.store.put(watch);
    return watch;
  }

  /** Replaces a watch's criteria, keeping its id and creation time (the alerts it raised stand). */
  async replace(id: string, input: unknown): Promise<Watch> {
    const before = await this.get(id);
    const parsed = await this.check(input, id);
    const watch: Watch = { ...parsed, id, createdAt: before.createdAt };
    await this.deps.store.put(watch);
    return watch;
  }

  async remove(id: string): Promise<Watch> {
    const watch = await this.get(id);
    await this.deps.store.remove(id);
    return watch;
  }

  private async check(input: unknown, self?: string): Promise<WatchInput> {
    const result = watchInputSchema.safeParse(input);
    if (!result.success) throw new WatchAdminError(400, 'NW_BAD_REQUEST', problemsOf(result.error.issues));
    const w = result.data;
    const problems: Problem[] = [];
    if (!(await this.deps.subscriberExists(w.subscriberId)))
      problems.push({ field: 'subscriberId', message: `no subscriber "${w.subscriberId}"` });
    (w.entities ?? []).forEach((id, i) => {
      if (!this.deps.entityExists(id))
        problems.push({ field: `entities.${i}`, message: `"${id}" is not a known entity` });
    });
    if (problems.length) throw new WatchAdminError(400, 'NW_BAD_REQUEST', problems);
    const taken = (await this.deps.store.list()).find(
      (o) => o.id !== self && o.subscriberId === w.subscriberId && o.name === w.name,
    );
    if (taken)
      throw new WatchAdminError(409, 'NW_CONFLICT', [
        { field: 'name', message: `${w.subscriberId} has a watch "${w.name}" already (${taken.id})` },
      ]);
    return w;
  }
}

function notFound(id: string): WatchAdminError {
  return new WatchAdminError(404, 'NW_NOT_FOUND', [{ field: 'id', message: `no watch "${id}"` }]);
}
