// One place for what operators do to subscribers, shared by the API, the /subscribers page and
// `newswatch subscribers`: list and show them with the state of their channels; add, change and
// delete those added at run time (subscribers.yml's are changed in the file); pause and resume
// any of them; list the channels their recipients unsubscribed and subscribe one again, with the
// recipient's consent recorded. Input is checked with subscribers.yml's own schema, and every
// refusal names the field at fault.
import { z } from 'zod';
import { subscriberSchema } from '../config/data-files';
import { CHANNELS, channelsOf, type ChannelName, type Subscriber } from '../domain/alerts';
import { Refusal, type Problem } from '../refusal';
import type { ConsentRecord, DisabledChannel, SubscriberStore } from '../store/subscribers';

export class SubscriberAdminError extends Refusal<'NW_BAD_REQUEST' | 'NW_NOT_FOUND' | 'NW_CONFLICT'> {}

const badRequest = (field: string, message: string) =>
  new SubscriberAdminError(400, 'NW_BAD_REQUEST', [{ field, message }]);
const conflict = (field: string, message: string) =>
  new SubscriberAdminError(409, 'NW_CONFLICT', [{ field, message }]);
const notFound = (id: string) =>
  new SubscriberAdminError(404, 'NW_NOT_FOUND', [{ field: 'id', message: `no subscriber "${id}"` }]);

/** How a consent is recorded: the note is required, and says how the recipient agreed. */
export const CONSENT_HINT =
  'how the recipient agreed to receive alerts again, e.g. "asked by phone 2026-12-04"';
const consentText = (field: string, max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `is required: ${field}` : 'is not text') })
    .trim()
    .min(1, { error: `must not be empty: ${field}` })
    .max(max, { error: `is at most ${max} characters` });

/** The body of a re-subscription: the recipient's consent, and optionally who records it. */
export const consentSchema = z.strictObject({
  consent: consentText(CONSENT_HINT, 2000),
  by: consentText('the name of whoever records the consent', 200).optional(),
});

/** A webhook secret cut short: enough to tell which one is configured, not to sign with it. */
export const maskSecret = (secret: string) => `${secret.slice(0, 10)}…`;

export interface ChannelView {
  channel: ChannelName;
  /** set when the channel must not be sent to, with why (HTTP 410) */
  disabled?: DisabledChannel | undefined;
  /** when its recipient unsubscribed, while unsubscribed */
  unsubscribedAt?: string | undefined;
  /** the consents recorded when it was subscribed again, oldest first */
  consents: ConsentRecord[];
}

/** A subscriber as operators see it: webhook secrets cut short, with where it comes from and its state. */
export type SubscriberView = Subscriber & {
  origin: 'file' | 'runtime';
  /** set while an operator has it paused: it receives nothing */
  pausedAt?: string | undefined;
  channels: ChannelView[];
};

export interface UnsubscribedView {
  subscriberId: string;
  name: string;
  origin: 'file' | 'runtime';
  channel: ChannelName;
  /** the addresses (email) or URL (webhook) of the channel */
  address: string;
  at: string;
}

export interface SubscriberAdminDeps {
  /** subscribers.yml's: read-only at run time */
  declared(): readonly Subscriber[];
  store: Pick<
    SubscriberStore,
    | 'list'
    | 'get'
    | 'put'
    | 'remove'
    | 'channelState'
    | 'pause'
    | 'resume'
    | 'pauseState'
    | 'resubscribe'
    | 'consents'
    | 'unsubscribedChannels'
  >;
  /** the gazetteer: entity filters must name known entities */
  entities: { has(id: string): boolean };
  now(): Date;
}

/** Zod's issues as problems named by field (`email.0`, `webhook.url`; `body` for the whole). */
export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : [];
    const path = i.path.map(String).join('.');
    if (keys.length)
      return { field: [path, keys[0]].filter(Boolean).join('.'), message: 'is not a field of this request' };
    return { field: path || 'body', message: i.message };
  });
}

export const channelAddress = (sub: Subscriber, channel: ChannelName) =>
  channel === 'email' ? (sub.email ?? []).join(', ') : (sub.webhook?.url ?? '');

export class SubscriberAdmin {
  constructor(private readonly deps: SubscriberAdminDeps) {}

  private declared(id: string) {
    return this.deps.declared().find((s) => s.id === id);
  }

  /** The subscriber and where it comes from; subscribers.yml wins an id. */
  private async find(id: string): Promise<{ sub: Subscriber; origin: 'file' | 'runtime' } | undefined> {
    const file = this.declared(id);
    if (file) return { sub: file, origin: 'file' };
    const sub = await this.deps.store.get(id);
    return sub ? { sub, origin: 'runtime' } : undefined;
  }

  private async all(): Promise<{ sub: Subscriber; origin: 'file' | 'runtime' }[]> {
    const file = this.deps.declared();
    const ids = new Set(file.map((s) => s.id));
    const runtime = (await this.deps.store.list()).filter((s) => !ids.has(s.id));
    return [
      ...file.map((sub) => ({ sub, origin: 'file' as const })),
      ...runtime.map((sub) => ({ sub, origin: 'runtime' as const })),
    ];
  }

  private async view(sub: Subscriber, origin: 'file' | 'runtime'): Promise<SubscriberView> {
    const { store } = this.deps;
    const [paused, consents, states] = await Promise.all([
      store.pauseState(sub.id),
      store.consents(sub.id),
      Promise.all(channelsOf(sub).map((channel) => store.channelState(sub.id, channel))),
    ]);
    return {
      ...sub,
      ...(sub.webhook ? { webhook: { ...sub.webhook, secrets: sub.webhook.secrets.map(maskSecret) } } : {}),
      origin,
      ...(paused ? { pausedAt: paused.at } : {}),
      channels: channelsOf(sub).map((channel, i) => ({
        channel,
        ...states[i],
        consents: consents.filter((c) => c.channel === channel),
      })),
    };
  }

  async list(): Promise<SubscriberView[]> {
    return Promise.all((await this.all()).map(({ sub, origin }) => this.view(sub, origin)));
  }

  async get(id: string): Promise<SubscriberView> {
    const found = await this.find(id);
    if (!found) throw notFound(id);
    return this.view(found.sub, found.origin);
  }

  /** Validates as subscribers.yml is validated, entity ids against the gazetteer. */
  private validate(input: unknown): Subscriber {
    const parsed = subscriberSchema.safeParse(input);
    if (!parsed.success) throw new SubscriberAdminError(400, 'NW_BAD_REQUEST', problemsOf(parsed.error));
    const sub = parsed.data;
    const e = sub.filters.entities;
    const groups: [string, string[] | undefined][] = Array.isArray(e)
      ? [['filters.entities', e]]
      : [
          ['filters.entities.all', e?.all],
          ['filters.entities.any', e?.any],
        ];
    for (const [field, ids] of groups) {
      const unknown = ids?.find((id) => !this.deps.entities.has(id));
      if (unknown) throw badRequest(field, `"${unknown}" is not a known entity`);
    }
    return sub;
  }

  async add(input: unknown): Promise<SubscriberView> {
    const sub = this.validate(input);
    if (this.declared(sub.id))
      throw conflict('id', `a subscriber "${sub.id}" exists already (in subscribers.yml)`);
    if (await this.deps.store.get(sub.id)) throw conflict('id', `a subscriber "${sub.id}" exists already`);
    await this.deps.store.put(sub);
    return this.view(sub, 'runtime');
  }

  /**
   * Changes a subscriber added at run time: `change` gets the stored subscriber (whole secrets
   * included, so a form left blank can keep them) and returns the new one, as input to validate.
   */
  async update(id: string, change: (current: Subscriber) => unknown): Promise<SubscriberView> {
    if (this.declared(id)) throw conflict('id', `"${id}" is declared in subscribers.yml: change it there`);
    const current = await this.deps.store.get(id);
    if (!current) throw notFound(id);
    const sub = this.validate(change(current));
    if (sub.id !== id) throw badRequest('id', `"${sub.id}" differs from the id in the path ("${id}")`);
    await this.deps.store.put(sub);
    return this.view(sub, 'runtime');
  }

  /** Deletes a subscriber added at run time, and its pause; its unsubscriptions and consents are kept. */
  async remove(id: string): Promise<void> {
    if (this.declared(id)) throw conflict('id', `"${id}" is declared in subscribers.yml: remove it there`);
    if (!(await this.deps.store.remove(id))) throw notFound(id);
    await this.deps.store.resume(id);
  }

  /** Any subscriber, subscribers.yml's too; pausing a paused one keeps its first pause. */
  async pause(id: string): Promise<SubscriberView> {
    const found = await this.find(id);
    if (!found) throw notFound(id);
    await this.deps.store.pause(id, this.deps.now());
    return this.view(found.sub, found.origin);
  }

  async resume(id: string): Promise<SubscriberView> {
    const found = await this.find(id);
    if (!found) throw notFound(id);
    await this.deps.store.resume(id);
    return this.view(found.sub, found.origin);
  }

  /** The channels unsubscribed now, of subscribers that still have them, earliest first. */
  async unsubscribed(): Promise<UnsubscribedView[]> {
    const subs = new Map((await this.all()).map((s) => [s.sub.id, s]));
    return (await this.deps.store.unsubscribedChannels()).flatMap((u) => {
      const found = subs.get(u.subscriberId);
      if (!found || !channelsOf(found.sub).includes(u.channel)) return [];
      return [
        {
          subscriberId: u.subscriberId,
          name: found.sub.name,
          origin: found.origin,
          channel: u.channel,
          address: channelAddress(found.sub, u.channel),
          at: u.at,
        },
      ];
    });
  }

  /**
   * Subscribes an unsubscribed channel again, with the recipient's consent: `consent` says how it
   * was given, `by` who records it. Refused (409) when the channel is not unsubscribed.
   */
  async resubscribe(
    id: string,
    channel: string,
    input: { consent?: unknown; by?: unknown },
    /** who records it when `by` is not given; undefined: `by` is required */
    fallbackBy: string | undefined,
  ): Promise<ConsentRecord> {
    const found = await this.find(id);
    if (!found) throw notFound(id);
    if (!(CHANNELS as readonly string[]).includes(channel))
      throw badRequest('channel', `"${channel}" is not a channel (${CHANNELS.join(', ')})`);
    const name = channel as ChannelName;
    if (!channelsOf(found.sub).includes(name)) throw conflict('channel', `"${id}" has no ${name} channel`);
    const parsed = consentSchema.safeParse({
      consent: input.consent,
      ...(input.by === undefined || input.by === '' ? {} : { by: input.by }),
    });
    const problems = parsed.success ? [] : problemsOf(parsed.error);
    const by = parsed.data?.by ?? fallbackBy;
    if (by === undefined && !problems.some((p) => p.field === 'by'))
      problems.push({ field: 'by', message: 'is required: the name of whoever records the consent' });
    if (!parsed.success || by === undefined) throw new SubscriberAdminError(400, 'NW_BAD_REQUEST', problems);
    const record = await this.deps.store.resubscribe(id, name, {
      at: this.deps.now(),
      by,
      note: parsed.data.consent,
    });
    if (!record) throw conflict('channel', `the ${name} channel of "${id}" is not unsubscribed`);
    return record;
  }
}
