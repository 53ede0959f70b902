// Fits the weights of a linking decision on labelled pairs: an L2-regularised logistic
// regression, with the rare positive class weighted up, and the threshold that keeps precision
// where it must be. Pure and deterministic: examples in, weights out. Written here rather than
// taken from a library because none maintained for Node offers class weights, a penalty and an
// intercept together (ml-logistic-regression has none of the three); it is forty lines.
import type { LinearModel } from '../domain/match';

export interface Example {
  features: Record<string, number>;
  label: boolean;
  /** what the pair is, for the fit report */
  note?: string;
}

export interface FitOptions {
  l2?: number;
  epochs?: number;
  rate?: number;
  /**
   * Features that may only add evidence (weight at least 0) or only take it away (at most 0):
   * with few labelled pairs a free fit learns that a person both reports name counts against
   * them, which no analyst would accept.
   */
  signs?: Record<string, 1 | -1>;
  /**
   * Weights the penalty pulls towards instead of zero: what a desk knows before any data (a
   * second shared party counts, a person both name counts). With a few dozen labelled links a
   * fit far from them would follow the accidents of the sample.
   */
  prior?: Omit<LinearModel, 'threshold'>;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Gradient descent on the weighted log loss; features absent from an example count as 0. */
export function fitLogistic(
  examples: readonly Example[],
  names: readonly string[],
  { l2 = 0.01, epochs = 3000, rate = 0.3, signs = {}, prior }: FitOptions = {},
): Omit<LinearModel, 'threshold'> {
  const positives = examples.filter((e) => e.label).length;
  const negatives = examples.length - positives;
  if (positives === 0 || negatives === 0) throw new Error('fitting needs both linked and unlinked pairs');
  // Each class weighs as much as the other in all.
  const weightOf = (label: boolean) =>
    label ? examples.length / (2 * positives) : examples.length / (2 * negatives);
  const x = examples.map((e) => names.map((n) => e.features[n] ?? 0));
  const centre = names.map((n) => prior?.weights[n] ?? 0);
  const w = [...centre];
  let b = prior?.bias ?? 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gw = names.map(() => 0);
    let gb = 0;
    examples.forEach((e, i) => {
      const xi = x[i]!;
      const p = sigmoid(b + xi.reduce((s, v, k) => s + v * w[k]!, 0));
      const err = (p - (e.label ? 1 : 0)) * weightOf(e.label);
      for (let k = 0; k < names.length; k++) gw[k]! += err * xi[k]!;
      gb += err;
    });
    for (let k = 0; k < names.length; k++) {
      w[k] = w[k]! - rate * (gw[k]! / examples.length + l2 * (w[k]! - centre[k]!));
      const sign = signs[names[k]!];
      if (sign !== undefined && w[k]! * sign < 0) w[k] = 0;
    }
    b -= rate * (gb / examples.length);
  }
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { bias: round(b), weights: Object.fromEntries(names.map((n, k) => [n, round(w[k]!)])) };
}

export interface Operating {
  threshold: number;
  precision: number;
  recall: number;
  /** pairs at or above the threshold */
  predicted: number;
  positives: number;
}

/** Precision and recall of the pairs at or above `threshold`. */
export function operatingAt(
  examples: readonly Example[],
  p: (e: Example) => number,
  threshold: number,
): Operating {
  const above = examples.filter((e) => p(e) >= threshold);
  const tp = above.filter((e) => e.label).length;
  const positives = examples.filter((e) => e.label).length;
  return {
    threshold,
    precision: above.length ? tp / above.length : 1,
    recall: positives ? tp / positives : 1,
    predicted: above.length,
    positives,
  };
}

/**
 * The lowest threshold (most recall) whose precision on the examples is at least `minPrecision`;
 * of the thresholds tried (every hundredth), the most precise when none reaches it.
 */
export function chooseThreshold(
  examples: readonly Example[],
  p: (e: Example) => number,
  minPrecision: number,
): Operating {
  const tried: Operating[] = [];
  for (let t = 0.05; t <= 0.99; t += 0.01) tried.push(operatingAt(examples, p, Math.round(t * 100) / 100));
  const good = tried.filter((o) => o.precision >= minPrecision && o.predicted > 0);
  if (good.length) return good[0]!;
  return tried.reduce((best, o) => (o.precision > best.precision ? o : best));
}
