/**
 * Growth checks for parsers of a caller's bytes. They compare the CPU time of one input with that of an input
 * eight times larger, best of a few runs, instead of asserting a wall-clock budget: a linear parser costs about
 * 8× (we allow 32×: garbage collection grows with the heap a large input leaves behind), a quadratic one 64×
 * and the parsers these tests guard took far longer, so the verdict does not depend on how fast or busy the
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
 * Asserts that `run(8n)` costs at most 32× `run(n)`: work proportional to the input. `n` must be large enough for
 * `run(n)` to take a few milliseconds; inputs are built outside the measured part.
 */
export function expectLinear<T>(make: (n: number) => T, run: (input: T) => unknown, n: number, runs = 3): { small: number; large: number } {
  const smallInput = make(n);
  const largeInput = make(8 * n);
  run(smallInput); // warm the JIT
  const small = Math.max(bestMs(() => run(smallInput), runs), 1);
  const large = bestMs(() => run(largeInput), runs);
  expect({ n, small, large, ratio: large / small < 32 }).toEqual({ n, small, large, ratio: true });
  return { small, large };
}

/** CPU milliseconds of one call, for an absolute ceiling far above what a linear parser needs. */
export const cpuTime = cpuMs;
