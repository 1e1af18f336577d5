/** Summary statistics for benchmark samples (ms unless said otherwise). */

export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, runs: s.length };
}

/** Linear-interpolated quantile of an ascending array. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function geomean(values: number[]): number {
  const v = values.filter((x) => x > 0 && Number.isFinite(x));
  return v.length ? Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length) : NaN;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times measured. */
export async function measure(fn: () => Promise<unknown>, runs: number, warmup = 1): Promise<Stat> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

export function fmt(ms: number, digits = 2): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(digits);
}

export function fmtStat(s: Stat): string {
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}
