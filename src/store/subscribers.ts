// Subscribers added at run time (the API), and the state of every subscriber's channels:
// an endpoint disabled by HTTP 410, an email channel unsubscribed by its recipient, and the
// consent recorded when an operator subscribed it again; and whether an operator paused the
// subscriber. All of it outlives restarts and applies to subscribers.yml's subscribers too.
import type { Redis } from 'ioredis';
import type { ChannelName, Subscriber } from '../domain/alerts';
import { redisKeys, type RedisKeys } from './keys';
import { storeScripts, type StoreScripts } from './scripts';

export interface DisabledChannel {
  subscriberId: string;
  channel: ChannelName;
  at: string;
  reason: string;
}

export interface ChannelState {
  /** set when the channel must not be sent to, with why */
  disabled?: DisabledChannel | undefined;
  /** when its recipient unsubscribed */
  unsubscribedAt?: string | undefined;
}

/** Given when an operator subscribes an unsubscribed channel again: how the recipient agreed. */
export interface ConsentRecord {
  subscriberId: string;
  channel: ChannelName;
  /** when the operator recorded it */
  at: string;
  /** who recorded it: the name the operator gave, or how it was recorded */
  by: string;
  /** how the consent was given, in the operator's words ("asked by phone 2026-12-04") */
  note: string;
  /** the unsubscription it lifted */
  unsubscribedAt: string;
}

export interface UnsubscribedChannel {
  subscriberId: string;
  channel: ChannelName;
  at: string;
}

/** A subscriber paused by an operator receives nothing, instant or digest, until resumed. */
export interface PauseState {
  at: string;
}

export class SubscriberStore {
  private readonly k: RedisKeys['subscribers'];
  private readonly scripts: StoreScripts;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.k = redisKeys(prefix).subscribers;
    this.scripts = storeScripts(redis);
  }

  // ---- run-time subscribers -------------------------------------------------------------------

  async list(): Promise<Subscriber[]> {
    const all = await this.redis.hvals(this.k.runtime);
    return all.map((r) => JSON.parse(r) as Subscriber).sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const raw = await this.redis.hget(this.k.runtime, id);
    return raw ? (JSON.parse(raw) as Subscriber) : undefined;
  }

  /** Adds or replaces; the caller validates with subscriberSchema first. */
  async put(sub: Subscriber): Promise<void> {
    await this.redis.hset(this.k.runtime, sub.id, JSON.stringify(sub));
  }

  async remove(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.k.runtime, id)) === 1;
  }

  // ---- channel state --------------------------------------------------------------------------

  async disable(subscriberId: string, channel: ChannelName, reason: string, at: Date): Promise<void> {
    const record: DisabledChannel = { subscriberId, channel, at: at.toISOString(), reason };
    await this.redis.hset(this.k.disabledChannels, `${subscriberId}:${channel}`, JSON.stringify(record));
  }

  /** Re-enables a disabled channel (after the subscriber fixed the endpoint); true when it was disabled. */
  async enable(subscriberId: string, channel: ChannelName): Promise<boolean> {
    return (await this.redis.hdel(this.k.disabledChannels, `${subscriberId}:${channel}`)) === 1;
  }

  async disabledChannels(): Promise<DisabledChannel[]> {
    const all = await this.redis.hvals(this.k.disabledChannels);
    return all.map((r) => JSON.parse(r) as DisabledChannel);
  }

  /** Idempotent: the first unsubscription's time is kept. */
  async unsubscribe(subscriberId: string, channel: ChannelName, at: Date): Promise<void> {
    await this.redis.hsetnx(this.k.unsubscribedChannels, `${subscriberId}:${channel}`, at.toISOString());
  }

  /**
   * Subscribes an unsubscribed channel again, keeping the consent with it; undefined (and
   * nothing written) when the channel was not unsubscribed.
   */
  async resubscribe(
    subscriberId: string,
    channel: ChannelName,
    consent: { at: Date; by: string; note: string },
  ): Promise<ConsentRecord | undefined> {
    const record = {
      subscriberId,
      channel,
      at: consent.at.toISOString(),
      by: consent.by,
      note: consent.note,
    };
    // resubscribe.lua: lifts the unsubscription and keeps the consent with it in one step, so no
    // consent is recorded for a channel that was not unsubscribed, nor one subscribed without it.
    const unsubscribedAt = await this.scripts.resubscribe(
      { unsubscribed: this.k.unsubscribedChannels, consents: this.k.consents(subscriberId) },
      `${subscriberId}:${channel}`,
      JSON.stringify(record),
    );
    return unsubscribedAt ? { ...record, unsubscribedAt } : undefined;
  }

  /** Every consent recorded for the subscriber's channels, oldest first. */
  async consents(subscriberId: string): Promise<ConsentRecord[]> {
    const raw = await this.redis.lrange(this.k.consents(subscriberId), 0, -1);
    return raw.map((r) => JSON.parse(r) as ConsentRecord);
  }

  /** Every channel unsubscribed now, the earliest unsubscription first. */
  async unsubscribedChannels(): Promise<UnsubscribedChannel[]> {
    const all = await this.redis.hgetall(this.k.unsubscribedChannels);
    return Object.entries(all)
      .map(([field, at]) => {
        const cut = field.lastIndexOf(':');
        return { subscriberId: field.slice(0, cut), channel: field.slice(cut + 1) as ChannelName, at };
      })
      .sort((a, b) => a.at.localeCompare(b.at) || a.subscriberId.localeCompare(b.subscriberId));
  }

  // ---- pause ----------------------------------------------------------------------------------

  /** Idempotent: a second pause keeps the first one's time. */
  async pause(subscriberId: string, at: Date): Promise<void> {
    const record: PauseState = { at: at.toISOString() };
    await this.redis.hsetnx(this.k.paused, subscriberId, JSON.stringify(record));
  }

  /** True when it was paused. */
  async resume(subscriberId: string): Promise<boolean> {
    return (await this.redis.hdel(this.k.paused, subscriberId)) === 1;
  }

  async pauseState(subscriberId: string): Promise<PauseState | undefined> {
    const raw = await this.redis.hget(this.k.paused, subscriberId);
    return raw ? (JSON.parse(raw) as PauseState) : undefined;
  }

  async channelState(subscriberId: string, channel: ChannelName): Promise<ChannelState> {
    const field = `${subscriberId}:${channel}`;
    const [disabled, unsubscribedAt] = await Promise.all([
      this.redis.hget(this.k.disabledChannels, field),
      this.redis.hget(this.k.unsubscribedChannels, field),
    ]);
    return {
      disabled: disabled ? (JSON.parse(disabled) as DisabledChannel) : undefined,
      unsubscribedAt: unsubscribedAt ?? undefined,
    };
  }
}
