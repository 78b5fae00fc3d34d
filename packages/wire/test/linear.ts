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

/** The smaller input's cost the comparison needs: below it, timer granularity and noise decide the ratio. */
const MIN_SMALL_MS = 5;

/**
 * Asserts that `run(8n)` costs at most 32× `run(n)`: work proportional to the input. `n` is where to start: it is
 * doubled (up to 64×) until `run(n)` costs at least 5 ms of CPU, so a fast machine or a quick parser still compares
 * figures well above the timer's granularity (at 1 ms, one GC pause in the large run was enough to pass 32×).
 * Inputs are built outside the measured part.
 */
export function expectLinear<T>(make: (n: number) => T, run: (input: T) => unknown, n: number, runs = 3): { small: number; large: number } {
  let smallInput = make(n);
  run(smallInput); // warm the JIT
  let small = bestMs(() => run(smallInput), runs);
  for (let i = 0; i < 6 && small < MIN_SMALL_MS; i++) {
    n *= 2;
    smallInput = make(n);
    small = bestMs(() => run(smallInput), runs);
  }
  small = Math.max(small, 1);
  const largeInput = make(8 * n);
  const large = bestMs(() => run(largeInput), runs);
  expect({ n, small, large, ratio: large / small < 32 }).toEqual({ n, small, large, ratio: true });
  return { small, large };
}

/** CPU milliseconds of one call, for an absolute ceiling far above what a linear parser needs. */
export const cpuTime = cpuMs;
