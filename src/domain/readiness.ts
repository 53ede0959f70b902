// Readiness: whether each role this process runs is doing its work, as /readyz reports it. Pure:
// the edge (workers/readiness.ts) reads the workers, the scheduler's last tick and Redis, and this
// module judges them, so the rule is tested without stopping anything.

/** One role (or Redis) and what was found; `detail` says why when it is not ok. */
export interface RoleCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Readiness {
  status: 'ready' | 'not ready';
  /** the names of the checks that failed, in the order checked */
  failed: string[];
  checks: RoleCheck[];
}

export function judgeReadiness(checks: readonly RoleCheck[]): Readiness {
  const failed = checks.filter((c) => !c.ok).map((c) => c.name);
  return { status: failed.length === 0 ? 'ready' : 'not ready', failed, checks: [...checks] };
}

/**
 * The scheduler's heartbeat ticks every `everyMs`; it is late once no tick came for three of them
 * (one missed tick on a busy machine is not a dead scheduler). Before its first tick, the start
 * time stands in for the last one.
 */
export function schedulerCheck(
  s: { running: boolean; lastTickAt: number; everyMs: number },
  now: number,
): RoleCheck {
  if (!s.running) return { name: 'scheduler', ok: false, detail: 'stopped' };
  const age = now - s.lastTickAt;
  const late = age > 3 * s.everyMs;
  return {
    name: 'scheduler',
    ok: !late,
    detail: late
      ? `no tick for ${Math.round(age / 1000)} s (it ticks every ${Math.round(s.everyMs / 1000)} s)`
      : `last tick ${Math.max(0, Math.round(age / 1000))} s ago`,
  };
}

/** A stage worker: closed or closing is not ready; paused by backpressure is, and says so. */
export function workerCheck(w: {
  name: string;
  running: boolean;
  closing: boolean;
  paused: boolean;
}): RoleCheck {
  const name = `worker:${w.name}`;
  if (!w.running) return { name, ok: false, detail: 'not running (closed)' };
  if (w.closing) return { name, ok: false, detail: 'closing' };
  return { name, ok: true, detail: w.paused ? 'running, paused by backpressure' : 'running' };
}
