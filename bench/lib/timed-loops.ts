import { performance } from "node:perf_hooks";

export interface TimedLoopsOptions {
  /** How many loops run at once, each awaiting its own operation before starting the next. */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** One operation of one loop; resolves true when it counts as a success. A throw aborts the whole run. */
  operation: (loop: number) => Promise<boolean>;
  /** Called when the measured window opens and closes (CPU samples are taken there). */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export interface TimedLoopsResult {
  /** Operations that succeeded and completed inside the window. */
  successes: number;
  /** Operations that completed inside the window but did not count as successes. */
  failures: number;
  /** Every operation completed, warm-up and tail included (to compare with rows written, for example). */
  completedTotal: number;
  successesTotal: number;
  windowMs: number;
  perSecond: number;
  /** Latency of the successes completed inside the window, in ms, sorted ascending. */
  latenciesMs: number[];
}

/**
 * Closed-loop load: `concurrency` loops run back to back for a warm-up, then for a measured window; an
 * operation counts when it completes inside the window. Operations still running when the window closes
 * are awaited but not counted, so the rate is completions per second of steady state.
 */
export async function runTimedLoops(options: TimedLoopsOptions): Promise<TimedLoopsResult> {
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let stopped = false;
  let successes = 0;
  let failures = 0;
  let completedTotal = 0;
  let successesTotal = 0;
  const latenciesMs: number[] = [];

  let endTimer: NodeJS.Timeout | undefined;
  const startTimer = setTimeout(() => {
    windowStart = performance.now();
    options.onWindowStart?.();
    endTimer = setTimeout(() => {
      windowEnd = performance.now();
      stopped = true;
      options.onWindowEnd?.();
    }, options.durationMs);
  }, options.warmupMs);

  const loop = async (index: number) => {
    while (!stopped) {
      const began = performance.now();
      const ok = await options.operation(index);
      const ended = performance.now();
      completedTotal += 1;
      if (ok) successesTotal += 1;
      if (ended < windowStart || ended > windowEnd) continue;
      if (ok) {
        successes += 1;
        latenciesMs.push(ended - began);
      } else {
        failures += 1;
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, index) => loop(index)));
  } finally {
    stopped = true;
    clearTimeout(startTimer);
    clearTimeout(endTimer);
  }
  const windowMs = windowEnd - windowStart;
  latenciesMs.sort((a, b) => a - b);
  return {
    successes,
    failures,
    completedTotal,
    successesTotal,
    windowMs,
    perSecond: (successes * 1000) / windowMs,
    latenciesMs,
  };
}

/** The q-quantile (0..1) of an ascending list, nearest rank; NaN for an empty list. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
