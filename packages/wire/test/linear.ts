/**
 * Growth checks for parsers of a caller's bytes. They compare the CPU time of one input with that of an input
 * sixteen times larger, best of a few runs, instead of asserting a wall-clock budget: a linear parser costs about
 * 16× (we allow 64×, for GC), a quadratic one 256×, so the verdict does not depend on how fast or busy the
 * machine is.
 */

/** CPU time (user + system) of one call, in milliseconds. */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** Best of `runs` CPU times: the least disturbed by GC and by other processes. */
function bestMs(fn: () => void, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, cpuMs(fn));
  return best;
}

/**
 * Asserts that `run(16n)` costs at most 64× `run(n)`: work proportional to the input. `n` must be large enough for
 * `run(n)` to take a few milliseconds; inputs are built outside the measured part.
 */
export function expectLinear<T>(make: (n: number) => T, run: (input: T) => unknown, n: number, runs = 3): { small: number; large: number } {
  const smallInput = make(n);
  const largeInput = make(16 * n);
  run(smallInput); // warm the JIT
  const small = Math.max(bestMs(() => run(smallInput), runs), 0.5);
  const large = bestMs(() => run(largeInput), runs);
  expect({ n, small, large, ratio: large / small < 64 }).toEqual({ n, small, large, ratio: true });
  return { small, large };
}

/** CPU milliseconds of one call, for an absolute ceiling far above what a linear parser needs. */
export const cpuTime = cpuMs;
