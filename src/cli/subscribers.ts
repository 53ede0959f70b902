// `newswatch subscribers list|show|add|edit|pause|resume|delete|unsubscribed|resubscribe`: the
// subscribers straight on Redis, like `newswatch feeds`, through the same SubscriberAdmin as the
// API and the /subscribers page (subscribers.yml's schema, the gazetteer's entity ids, consent
// recorded on re-subscription). A running service sees each change at its next alert.
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { subscriberSchema } from '../config/data-files';
import type { Config } from '../config/env';
import { parseYamlWith } from '../config/yaml';
import type { Subscriber } from '../domain/alerts';
import { NewswatchError } from '../errors';
import type { Logger } from '../log';
import {
  SubscriberAdmin,
  SubscriberAdminError,
  type SubscriberView,
  type UnsubscribedView,
} from '../subscribers/admin';
import { createContext } from '../../workers/context';
import { formatTable } from './table';

/** The flag that sets each subscriber field, so an error names what to type again. */
// Not the id: it is the argument of every command but add.
const FLAGS: [prefix: string, flag: string][] = [
  ['name', '--name'],
  ['email', '--email'],
  ['webhook.url', '--webhook-url'],
  ['webhook.ratePerSecond', '--rate'],
  ['webhook', '--webhook-secret'],
  ['mode', '--mode'],
  ['digest.timezone', '--digest-timezone'],
  ['digest', '--digest-schedule'],
  ['filters.kinds', '--kinds'],
  ['filters.entities.all', '--entities-all'],
  ['filters.entities', '--entities'],
  ['filters.eventTypes', '--event-types'],
  ['filters.feeds', '--feeds'],
  ['filters.regions', '--regions'],
  ['filters.languages', '--languages'],
  ['filters.minScore', '--min-score'],
  ['consent', '--consent'],
  ['by', '--by'],
  ['channel', '--channel'],
];

const flagOf = (field: string) => FLAGS.find(([path]) => field === path || field.startsWith(`${path}.`))?.[1];

/** One line naming each field at fault, and the flag that sets it (`email.0 (--email): ...`). */
function describe(err: SubscriberAdminError, file?: string): string {
  return err.problems
    .map((p) => {
      const flag = file ? undefined : flagOf(p.field);
      const field = p.field === 'body' ? 'subscriber' : p.field;
      return `${file ? `${file}: ` : ''}${field}${flag ? ` (${flag})` : ''}: ${p.message}`;
    })
    .join('; ');
}

async function withAdmin<T>(
  config: Config,
  log: Logger,
  run: (admin: SubscriberAdmin) => Promise<T>,
  file?: string,
): Promise<T> {
  const ctx = await createContext(config, log);
  const admin = new SubscriberAdmin({
    declared: () => ctx.subscribers,
    store: ctx.delivery.stores.subscribers,
    entities: { has: (id) => ctx.analyzer.gazetteer.get(id) !== undefined },
    now: ctx.now,
  });
  try {
    return await run(admin);
  } catch (err) {
    if (err instanceof SubscriberAdminError)
      throw new NewswatchError(
        err.status === 404 ? 'NW_NOT_FOUND' : 'NW_CONFIG_INVALID',
        describe(err, file),
      );
    throw err;
  } finally {
    await ctx.close();
  }
}

// ---- add and edit: flags or a YAML file ---------------------------------------------------------

/** Subscriber fields as flags; an empty value (`--email ''`) removes the field when editing. */
export interface SubscriberFlags {
  id?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  webhookUrl?: string | undefined;
  webhookSecret?: string | undefined;
  rate?: string | undefined;
  mode?: string | undefined;
  digestSchedule?: string | undefined;
  digestTimezone?: string | undefined;
  kinds?: string | undefined;
  entities?: string | undefined;
  entitiesAll?: string | undefined;
  eventTypes?: string | undefined;
  feeds?: string | undefined;
  regions?: string | undefined;
  languages?: string | undefined;
  minScore?: string | undefined;
  file?: string | undefined;
}

const list = (v: string) => v.split(/[\s,]+/).filter(Boolean);
/** Digits become a number; anything else stays text, for the schema to refuse by name. */
const numberOrText = (v: string) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/** `start` (the stored subscriber when editing) with the flags given applied to it. */
export function applyFlags(start: Subscriber | undefined, f: SubscriberFlags): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(start ?? { filters: {} }) as Record<string, unknown>;
  const filters = { ...((out.filters as Record<string, unknown> | undefined) ?? {}) };
  const set = (target: Record<string, unknown>, key: string, value: unknown) => {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
      delete target[key];
    else target[key] = value;
  };
  if (f.id !== undefined) out.id = f.id;
  if (f.name !== undefined) out.name = f.name;
  if (f.email !== undefined) set(out, 'email', list(f.email));
  if (f.webhookUrl === '') delete out.webhook;
  else if (f.webhookUrl !== undefined || f.webhookSecret !== undefined || f.rate !== undefined) {
    const webhook = { ...((out.webhook as Record<string, unknown> | undefined) ?? {}) };
    if (f.webhookUrl !== undefined) webhook.url = f.webhookUrl;
    if (f.webhookSecret !== undefined) {
      delete webhook.secrets; // a new secret replaces the stored ones
      webhook.secret = f.webhookSecret;
    }
    if (f.rate !== undefined) set(webhook, 'ratePerSecond', f.rate === '' ? '' : numberOrText(f.rate));
    out.webhook = webhook;
  }
  if (f.mode !== undefined) {
    set(out, 'mode', f.mode);
    if (f.mode !== 'digest') delete out.digest;
  }
  if (f.digestSchedule !== undefined || f.digestTimezone !== undefined) {
    const digest = { ...((out.digest as Record<string, unknown> | undefined) ?? {}) };
    if (f.digestSchedule !== undefined) set(digest, 'schedule', f.digestSchedule);
    if (f.digestTimezone !== undefined) set(digest, 'timezone', f.digestTimezone);
    out.digest = digest;
  }
  if (f.kinds !== undefined) set(filters, 'kinds', list(f.kinds));
  if (f.entities !== undefined || f.entitiesAll !== undefined) {
    const current = filters.entities as Subscriber['filters']['entities'];
    const any =
      f.entities !== undefined ? list(f.entities) : Array.isArray(current) ? current : (current?.any ?? []);
    const all =
      f.entitiesAll !== undefined ? list(f.entitiesAll) : Array.isArray(current) ? [] : (current?.all ?? []);
    set(filters, 'entities', all.length ? { all, ...(any.length ? { any } : {}) } : any);
  }
  for (const key of ['eventTypes', 'feeds', 'regions', 'languages'] as const)
    if (f[key] !== undefined) set(filters, key, list(f[key]));
  if (f.minScore !== undefined) set(filters, 'minScore', f.minScore === '' ? '' : numberOrText(f.minScore));
  out.filters = filters;
  return out;
}

const FIELD_FLAGS = Object.keys({
  id: 0,
  name: 0,
  email: 0,
  webhookUrl: 0,
  webhookSecret: 0,
  rate: 0,
  mode: 0,
  digestSchedule: 0,
  digestTimezone: 0,
  kinds: 0,
  entities: 0,
  entitiesAll: 0,
  eventTypes: 0,
  feeds: 0,
  regions: 0,
  languages: 0,
  minScore: 0,
} satisfies Record<Exclude<keyof SubscriberFlags, 'file'>, 0>) as Exclude<keyof SubscriberFlags, 'file'>[];

/** One subscriber from a YAML file, as an entry of subscribers.yml is written; errors name the line. */
async function fromFile(file: string, f: SubscriberFlags): Promise<Subscriber> {
  const given = FIELD_FLAGS.filter((k) => f[k] !== undefined);
  if (given.length)
    throw new NewswatchError(
      'NW_CONFIG_INVALID',
      `--file takes the whole subscriber from the file: leave out ${given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`,
    );
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new NewswatchError(
      'NW_CONFIG_INVALID',
      `${file}: cannot be read (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  return parseYamlWith(subscriberSchema, text, file);
}

export function addSubscriber(config: Config, log: Logger, f: SubscriberFlags): Promise<string> {
  return withAdmin(
    config,
    log,
    async (admin) => {
      const input = f.file ? await fromFile(f.file, f) : applyFlags(undefined, f);
      const sub = await admin.add(input);
      return `added subscriber ${sub.id} (${sub.name}): ${channelsLine(sub)}`;
    },
    f.file,
  );
}

export function editSubscriber(config: Config, log: Logger, id: string, f: SubscriberFlags): Promise<string> {
  return withAdmin(
    config,
    log,
    async (admin) => {
      const file = f.file ? await fromFile(f.file, f) : undefined;
      if (!file && FIELD_FLAGS.every((k) => f[k] === undefined))
        throw new NewswatchError(
          'NW_CONFIG_INVALID',
          'nothing to change: give the fields to change as flags, or --file',
        );
      const sub = await admin.update(id, (current) => file ?? applyFlags(current, { ...f, id: f.id ?? id }));
      return `changed subscriber ${sub.id} (${sub.name}): ${channelsLine(sub)}`;
    },
    f.file,
  );
}

// ---- the other actions ---------------------------------------------------------------------

export function listSubscribers(config: Config, log: Logger): Promise<SubscriberView[]> {
  return withAdmin(config, log, (admin) => admin.list());
}

export function getSubscriber(config: Config, log: Logger, id: string): Promise<SubscriberView> {
  return withAdmin(config, log, (admin) => admin.get(id));
}

export function pauseSubscriber(
  config: Config,
  log: Logger,
  action: 'pause' | 'resume',
  id: string,
): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    const sub = await admin[action](id);
    return action === 'pause'
      ? `paused subscriber ${sub.id} (${sub.name}) since ${sub.pausedAt}: it receives nothing, instant or digest, until resumed`
      : `resumed subscriber ${sub.id} (${sub.name}): it receives the alerts raised from now on`;
  });
}

export function deleteSubscriber(config: Config, log: Logger, id: string): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    await admin.remove(id);
    return `deleted subscriber ${id}`;
  });
}

export function listUnsubscribed(config: Config, log: Logger): Promise<UnsubscribedView[]> {
  return withAdmin(config, log, (admin) => admin.unsubscribed());
}

/** Who records a consent from the command line when --by is not given: the user running it. */
export const cliRecorder = () => `${userInfo().username} (command line)`;

export function resubscribe(
  config: Config,
  log: Logger,
  id: string,
  opts: { channel?: string | undefined; consent?: string | undefined; by?: string | undefined },
): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    if (opts.channel === undefined)
      throw new NewswatchError('NW_CONFIG_INVALID', 'channel (--channel): is required: email or webhook');
    const c = await admin.resubscribe(
      id,
      opts.channel,
      { consent: opts.consent, by: opts.by },
      cliRecorder(),
    );
    return `subscribed the ${c.channel} channel of ${c.subscriberId} again (unsubscribed since ${c.unsubscribedAt}); consent recorded by ${c.by} at ${c.at}: ${c.note}`;
  });
}

// ---- output --------------------------------------------------------------------------------

function channelsLine(sub: SubscriberView): string {
  return sub.channels
    .map((c) => {
      const where = c.channel === 'email' ? (sub.email ?? []).join(', ') : (sub.webhook?.url ?? '');
      const state = c.unsubscribedAt
        ? ` (unsubscribed since ${c.unsubscribedAt})`
        : c.disabled
          ? ` (disabled at ${c.disabled.at}: ${c.disabled.reason})`
          : '';
      return `${c.channel} ${where}${state}`;
    })
    .join('; ');
}

export function formatSubscriberList(subs: readonly SubscriberView[]): string {
  if (subs.length === 0) return 'no subscribers';
  return formatTable(
    ['ID', 'STATE', 'ORIGIN', 'MODE', 'NAME', 'CHANNELS'],
    subs.map((s) => [
      s.id,
      s.pausedAt ? 'paused' : 'active',
      s.origin === 'file' ? 'subscribers.yml' : 'runtime',
      s.mode === 'digest' && s.digest ? `digest ${s.digest.schedule} ${s.digest.timezone}` : 'instant',
      s.name,
      channelsLine(s),
    ]),
  );
}

export function formatSubscriber(s: SubscriberView): string {
  const f = s.filters;
  const e = f.entities;
  const lines = [
    `${s.id}: ${s.name}`,
    `  origin: ${s.origin === 'file' ? 'subscribers.yml (change it there; pause, resume and resubscribe work here)' : 'added at run time'}`,
    `  state: ${s.pausedAt ? `paused since ${s.pausedAt}: it receives nothing until resumed` : 'active'}`,
    `  delivery: ${s.mode === 'digest' && s.digest ? `digest ${s.digest.schedule} (${s.digest.timezone})` : 'instant'}`,
  ];
  for (const c of s.channels) {
    const where =
      c.channel === 'email'
        ? (s.email ?? []).join(', ')
        : `${s.webhook?.url ?? ''} (secret ${(s.webhook?.secrets ?? []).join(', ')}${s.webhook?.ratePerSecond ? `, ${s.webhook.ratePerSecond}/s` : ''})`;
    const state = c.unsubscribedAt
      ? `unsubscribed since ${c.unsubscribedAt}`
      : c.disabled
        ? `disabled at ${c.disabled.at}: ${c.disabled.reason}`
        : 'subscribed';
    lines.push(`  ${c.channel}: ${where}: ${state}`);
    for (const k of c.consents)
      lines.push(`    consent recorded ${k.at} by ${k.by} (had unsubscribed ${k.unsubscribedAt}): ${k.note}`);
  }
  const filters: string[] = [];
  if (f.kinds) filters.push(`kinds ${f.kinds.join(', ')}`);
  if (Array.isArray(e)) filters.push(`entities (any) ${e.join(', ')}`);
  else if (e) {
    if (e.all) filters.push(`entities (all) ${e.all.join(', ')}`);
    if (e.any) filters.push(`entities (any) ${e.any.join(', ')}`);
  }
  for (const key of ['eventTypes', 'feeds', 'regions', 'languages'] as const)
    if (f[key]) filters.push(`${key} ${f[key].join(', ')}`);
  if (f.minScore !== undefined) filters.push(`minScore ${f.minScore}`);
  lines.push(`  filters: ${filters.length ? filters.join('; ') : 'none (every alert but the opt-in kinds)'}`);
  return lines.join('\n');
}

export function formatUnsubscribed(list: readonly UnsubscribedView[]): string {
  if (list.length === 0) return 'no channel is unsubscribed';
  return formatTable(
    ['SUBSCRIBER', 'CHANNEL', 'SINCE', 'ADDRESS', 'NAME'],
    list.map((u) => [u.subscriberId, u.channel, u.at, u.address, u.name]),
  );
}
