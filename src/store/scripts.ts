// The stores' Lua scripts: each in its own file under src/store/scripts/ (its header says its
// KEYS, ARGV and reply), read once when this module loads and defined on a connection with
// ioredis `defineCommand`. ioredis sends a defined script by EVAL the first time on each socket
// and by EVALSHA after, and sends it again by EVAL when Redis answers NOSCRIPT, so a restarted or
// flushed Redis (an empty script cache) needs nothing from us. connectRedis defines them on every
// connection it opens; storeScripts() defines them on any other it is handed, once.
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);

/**
 * Command name -> file and how many of its arguments are keys; no count: the caller passes it
 * first (the script takes any number of keys).
 */
const SCRIPTS = {
  nwResubscribe: { file: 'resubscribe.lua', numberOfKeys: 2 },
  nwClaim: { file: 'claim.lua' },
  nwSaveVersion: { file: 'save-version.lua', numberOfKeys: 1 },
  nwCreateEvent: { file: 'create-event.lua' },
  nwCreateExpectation: { file: 'create-expectation.lua' },
  nwTakeCloseGate: { file: 'take-close-gate.lua', numberOfKeys: 2 },
  nwAddTerms: { file: 'add-terms.lua', numberOfKeys: 3 },
  nwCloseDigest: { file: 'close-digest.lua', numberOfKeys: 2 },
  nwHostGateAcquire: { file: 'host-gate-acquire.lua', numberOfKeys: 2 },
  nwHostGateHoldOff: { file: 'host-gate-hold-off.lua', numberOfKeys: 1 },
} satisfies Record<string, { file: string; numberOfKeys?: number }>;

type ScriptName = keyof typeof SCRIPTS;

/** The files of src/store/scripts/ this module defines (test/unit/redis-keys.test.ts finds no other). */
export const SCRIPT_FILES: readonly string[] = Object.values(SCRIPTS).map((s) => s.file);

/** Every script's text, read now: a file missing from the image fails at start, not at first use. */
const LUA = Object.fromEntries(
  Object.entries(SCRIPTS).map(([name, { file }]) => [name, readFileSync(new URL(file, SCRIPTS_DIR), 'utf8')]),
) as Record<ScriptName, string>;

type Arg = string | number;
type Defined = Redis & Record<ScriptName, (...args: Arg[]) => Promise<unknown>>;

/** Defines every script on `redis` (those defined already are left as they are); returns it. */
export function defineScripts<R extends Redis>(redis: R): R {
  for (const [name, def] of Object.entries(SCRIPTS) as [ScriptName, { numberOfKeys?: number }][]) {
    if (typeof (redis as unknown as Defined)[name] === 'function') continue;
    const lua = LUA[name];
    redis.defineCommand(
      name,
      def.numberOfKeys === undefined ? { lua } : { lua, numberOfKeys: def.numberOfKeys },
    );
  }
  return redis;
}

/** What a host-gate acquire answers: {1}, or {0, waitMs, why}. */
export type HostGateReply = [granted: number, waitMs?: number, reason?: 'held' | 'spacing' | 'full'];

/** The scripts as typed functions on `redis`; key names come from src/store/keys.ts. */
export function storeScripts(redis: Redis) {
  const r = defineScripts(redis) as Defined;
  return {
    /** resubscribe.lua: the time the channel was unsubscribed, now lifted; null (nothing written) when it was not. */
    resubscribe: (
      keys: { unsubscribed: string; consents: string },
      field: string,
      consentJson: string,
    ): Promise<string | null> =>
      r.nwResubscribe(keys.unsubscribed, keys.consents, field, consentJson) as Promise<string | null>,

    /** claim.lua: the article holding the identities now (`articleId` unless another held one). */
    claim: (claimKeys: readonly string[], articleId: string): Promise<string | null> =>
      r.nwClaim(claimKeys.length, ...claimKeys, articleId) as Promise<string | null>,

    /** save-version.lua: true when stored over version `expected`, false when another was stored meanwhile. */
    saveVersion: async (articleKey: string, expected: number, articleJson: string): Promise<boolean> =>
      (await r.nwSaveVersion(articleKey, String(expected), articleJson)) === 1,

    /** create-event.lua: true when created, false when the id existed (only missing sources added). */
    createEvent: async (
      keys: { event: string; sources: string; allEvents: string; eventsOf: readonly string[] },
      args: { json: string; id: string; day: number; sources: readonly [articleId: string, json: string][] },
    ): Promise<boolean> => {
      const k = [keys.event, keys.sources, keys.allEvents, ...keys.eventsOf];
      const a = [args.json, args.id, String(args.day), ...args.sources.flat()];
      return (await r.nwCreateEvent(k.length, ...k, ...a)) === 1;
    },

    /** create-expectation.lua: true when created, false when the id existed (indexed again while open). */
    createExpectation: async (
      keys: { expectation: string; openByDue: string; all: string; openOf: readonly string[] },
      args: { json: string; id: string; dueDay: number },
    ): Promise<boolean> => {
      const k = [keys.expectation, keys.openByDue, keys.all, ...keys.openOf];
      return (await r.nwCreateExpectation(k.length, ...k, args.json, args.id, String(args.dueDay))) === 1;
    },

    /** take-close-gate.lua: 0 no such expectation, 1 taken now, 2 held by this closer, 3 held by another. */
    takeCloseGate: (keys: { expectation: string; gate: string }, closer: string): Promise<0 | 1 | 2 | 3> =>
      r.nwTakeCloseGate(keys.expectation, keys.gate, closer) as Promise<0 | 1 | 2 | 3>,

    /** add-terms.lua: true when counted, false when the article was counted already. */
    addTerms: async (
      keys: { df: string; docs: string; counted: string },
      markTtlSeconds: number,
      terms: readonly string[],
    ): Promise<boolean> =>
      (await r.nwAddTerms(keys.df, keys.docs, keys.counted, String(markTtlSeconds), ...terms)) === 1,

    /** close-digest.lua: the period's batch of alert ids, oldest first. */
    closeDigest: (keys: { buffer: string; batch: string }, batchTtlSeconds: number): Promise<string[]> =>
      r.nwCloseDigest(keys.buffer, keys.batch, String(batchTtlSeconds)) as Promise<string[]>,

    /** host-gate-acquire.lua */
    hostGateAcquire: (
      keys: { leases: string; state: string },
      args: { token: string; concurrency: number; minDelayMs: number; leaseMs: number },
    ): Promise<HostGateReply> =>
      r.nwHostGateAcquire(
        keys.leases,
        keys.state,
        args.token,
        args.concurrency,
        args.minDelayMs,
        args.leaseMs,
      ) as Promise<HostGateReply>,

    /** host-gate-hold-off.lua: the "not before" now kept, ms since the epoch. */
    hostGateHoldOff: (stateKey: string, delayMs: number): Promise<number> =>
      r.nwHostGateHoldOff(stateKey, delayMs) as Promise<number>,
  };
}

export type StoreScripts = ReturnType<typeof storeScripts>;
