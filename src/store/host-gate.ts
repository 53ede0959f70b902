// Politeness towards one host, shared by every worker in every process: at most `concurrency`
// requests in flight, starts at least `minDelayMs` apart, and none before a "not before" that a
// server asked for with Retry-After. The state lives in Redis and is taken atomically by Lua
// scripts that read Redis's own clock, so processes on machines with skewed clocks still agree.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { NewswatchError } from '../errors';
import { redisKeys, type RedisKeys } from './keys';
import { storeScripts, type StoreScripts } from './scripts';

export interface HostGateOptions {
  /** requests in flight to one host at once */
  concurrency: number;
  /** between the starts of two requests to one host */
  minDelayMs: number;
  /** the longest acquire() waits for a turn; a longer wait fails, so the job is retried later */
  maxWaitMs: number;
  /** a slot not released within this is taken back: its holder crashed or hung */
  leaseMs: number;
}

export interface HostLease {
  release(): Promise<void>;
}

export type HostWait = 'held' | 'spacing' | 'full';

/** A host is not ours to ask yet; retryable, and `waitMs` says for how long (at least). */
export class HostBusyError extends NewswatchError {
  /** true when the wait is a server's Retry-After, not our own spacing or slot limit */
  readonly heldByServer: boolean;

  constructor(
    readonly url: string,
    readonly host: string,
    readonly waitMs: number,
    /** why: 'full' waits are when the oldest slot's lease lapses, though a slot may free sooner */
    readonly reason: HostWait,
    maxWaitMs: number,
  ) {
    const seconds = (ms: number) => `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.ceil(ms / 1000)} s`;
    const why =
      reason === 'held'
        ? `${host} asked (Retry-After) not to be fetched for another ${seconds(waitMs)}`
        : reason === 'spacing'
          ? `the next turn at ${host} is ${seconds(waitMs)} away, past the ${seconds(maxWaitMs)} wait limit`
          : `every slot at ${host} stayed in use for the ${seconds(maxWaitMs)} wait limit`;
    super('NW_HOST_BUSY', `${url}: ${why}; retry later`);
    this.name = 'HostBusyError';
    this.heldByServer = reason === 'held';
  }
}

/** How often a caller waiting for a free slot asks again; releases are not announced. */
const FULL_POLL_MS = 50;

export class HostGate {
  private readonly k: RedisKeys['hosts'];
  private readonly scripts: StoreScripts;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    readonly options: HostGateOptions,
  ) {
    this.k = redisKeys(prefix).hosts;
    this.scripts = storeScripts(redis);
  }

  /**
   * Waits for this host's turn and takes a slot; release it once the response is read.
   * Throws HostBusyError once the turn cannot come within `maxWaitMs` (at once, for a known
   * Retry-After or spacing wait; at the deadline, for slots that stay in use).
   */
  async acquire(url: string, opts: { maxWaitMs?: number } = {}): Promise<HostLease> {
    const host = hostOf(url);
    const { leases, state } = this.keys(host);
    const token = randomUUID();
    const maxWaitMs = opts.maxWaitMs ?? this.options.maxWaitMs;
    const deadline = Date.now() + maxWaitMs;
    const { concurrency, minDelayMs, leaseMs } = this.options;
    for (;;) {
      // host-gate-acquire.lua, on Redis's clock: {1}, or {0, waitMs, why not}.
      const [granted, waitMs = 0, reason] = await this.scripts.hostGateAcquire(
        { leases, state },
        { token, concurrency, minDelayMs, leaseMs },
      );
      if (granted === 1) {
        return { release: async () => void (await this.redis.zrem(leases, token)) };
      }
      const left = deadline - Date.now();
      // A full host frees a slot whenever a request ends, so look again soon rather than at lease expiry.
      const pause = reason === 'full' ? Math.min(waitMs, FULL_POLL_MS) : waitMs;
      if (pause > left || left <= 0) throw new HostBusyError(url, host, waitMs, reason ?? 'full', maxWaitMs);
      // A little jitter keeps waiting processes from asking in lockstep.
      await sleep(pause + Math.floor(Math.random() * 10));
    }
  }

  /** Every worker leaves the host alone for `delayMs` (a server's Retry-After); returns until when. */
  async holdOff(url: string, delayMs: number): Promise<Date> {
    // host-gate-hold-off.lua: moves the "not before" later, never earlier.
    const until = await this.scripts.hostGateHoldOff(this.keys(hostOf(url)).state, Math.max(0, delayMs));
    return new Date(Number(until));
  }

  /** The host's Retry-After "not before", if one was ever set and is still kept. */
  async notBefore(url: string): Promise<Date | undefined> {
    const at = await this.redis.hget(this.keys(hostOf(url)).state, 'notBefore');
    return at ? new Date(Number(at)) : undefined;
  }

  // One hash tag per host keeps both keys in one Redis Cluster slot, as a script needs.
  private keys(host: string) {
    return { leases: this.k.leases(host), state: this.k.state(host) };
  }
}

/** host[:port], so two servers on one machine are two hosts, as they are to a politeness policy. */
export function hostOf(url: string): string {
  return new URL(url).host;
}
