// What every bench returns, and the helpers they share. Benches measure medians over repeated
// runs and compare against a baseline measured in the same run: the machines are shared and
// noisy, so absolute figures move, ratios much less.
import os from 'node:os';

export interface BenchReport {
  /** Section title in RESULTS.md. */
  title: string;
  /** Markdown lines (tables, notes) for RESULTS.md and the console. */
  lines: string[];
  /** Machine-readable figures for results.json. */
  data: Record<string, unknown>;
}

export type Bench = () => Promise<BenchReport>;

/** Median of a list of numbers (NaN for an empty list). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}

/** Runs `fn` `times` times and returns each run's wall time in milliseconds. */
export async function timeRuns(times: number, fn: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** One line naming the machine, for the top of RESULTS.md. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}
