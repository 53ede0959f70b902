// Subscribers added at run time (the API), and the state of every subscriber's channels:
// an endpoint disabled by HTTP 410, an email channel unsubscribed by its recipient. Both
// outlive restarts and apply to subscribers.yml's subscribers too.
import type { Redis } from 'ioredis';
import type { ChannelName, Subscriber } from '../domain/alerts';

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

export class SubscriberStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(name: string) {
    return `${this.prefix}${name}`;
  }

  // ---- run-time subscribers -------------------------------------------------------------------

  async list(): Promise<Subscriber[]> {
    const all = await this.redis.hvals(this.key('subscribers'));
    return all.map((r) => JSON.parse(r) as Subscriber).sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const raw = await this.redis.hget(this.key('subscribers'), id);
    return raw ? (JSON.parse(raw) as Subscriber) : undefined;
  }

  /** Adds or replaces; the caller validates with subscriberSchema first. */
  async put(sub: Subscriber): Promise<void> {
    await this.redis.hset(this.key('subscribers'), sub.id, JSON.stringify(sub));
  }

  async remove(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.key('subscribers'), id)) === 1;
  }

  // ---- channel state --------------------------------------------------------------------------

  async disable(subscriberId: string, channel: ChannelName, reason: string, at: Date): Promise<void> {
    const record: DisabledChannel = { subscriberId, channel, at: at.toISOString(), reason };
    await this.redis.hset(
      this.key('channels:disabled'),
      `${subscriberId}:${channel}`,
      JSON.stringify(record),
    );
  }

  /** Re-enables a disabled channel (after the subscriber fixed the endpoint); true when it was disabled. */
  async enable(subscriberId: string, channel: ChannelName): Promise<boolean> {
    return (await this.redis.hdel(this.key('channels:disabled'), `${subscriberId}:${channel}`)) === 1;
  }

  async disabledChannels(): Promise<DisabledChannel[]> {
    const all = await this.redis.hvals(this.key('channels:disabled'));
    return all.map((r) => JSON.parse(r) as DisabledChannel);
  }

  /** Idempotent: the first unsubscription's time is kept. */
  async unsubscribe(subscriberId: string, channel: ChannelName, at: Date): Promise<void> {
    await this.redis.hsetnx(
      this.key('channels:unsubscribed'),
      `${subscriberId}:${channel}`,
      at.toISOString(),
    );
  }

  async resubscribe(subscriberId: string, channel: ChannelName): Promise<boolean> {
    return (await this.redis.hdel(this.key('channels:unsubscribed'), `${subscriberId}:${channel}`)) === 1;
  }

  async channelState(subscriberId: string, channel: ChannelName): Promise<ChannelState> {
    const field = `${subscriberId}:${channel}`;
    const [disabled, unsubscribedAt] = await Promise.all([
      this.redis.hget(this.key('channels:disabled'), field),
      this.redis.hget(this.key('channels:unsubscribed'), field),
    ]);
    return {
      disabled: disabled ? (JSON.parse(disabled) as DisabledChannel) : undefined,
      unsubscribedAt: unsubscribedAt ?? undefined,
    };
  }
}
