/**
 * How an input parser's time grows with its input, as a ratio measured in the test itself, never
 * a wall-clock limit: the time on a large input against the time on an input `factor` times
 * smaller, built the same way. Linear work gives about `factor`; a quadratic regular expression
 * gives about `factor` squared.
 */
export async function growthRatio(
  work: (input: string) => unknown,
  build: (size: number) => string,
  options: { largeSize?: number; factor?: number } = {},
): Promise<{ ratio: number; factor: number; largeMs: number; smallMs: number }> {
  const largeSize = options.largeSize ?? 1024 * 1024;
  const factor = options.factor ?? 16;
  const small = build(Math.floor(largeSize / factor));
  const large = build(largeSize);
  await work(small); // warm-up: compile the code paths once before either is timed
  // The small input runs `factor` times so that both figures are of the same magnitude (and
  // neither is dominated by timer resolution); the best of three of each absorbs a stray GC.
  const smallMs = await best(3, async () => {
    for (let index = 0; index < factor; index += 1) await work(small);
  });
  const largeMs = await best(3, () => work(large));
  return { ratio: largeMs / (smallMs / factor), factor, largeMs, smallMs };
}

async function best(times: number, run: () => unknown): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let index = 0; index < times; index += 1) {
    const started = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

export interface LinearTimeCheck {
  /** Time per character at the size measured, over the baseline's: about 1 when linear. */
  ratio: number;
  /** The size (characters) the ratio was measured at: `largeSize`, or the first smaller one over `limit`. */
  size: number;
  /** That size's time, and the baseline's time per character. */
  ms: number;
  baselineMsPerChar: number;
}

/**
 * Whether `work` runs in linear time on inputs `build` makes, as a ratio measured in the test,
 * never a wall-clock limit. The baseline is the time per character on an input `factor` (64) times
 * smaller than `largeSize`, the best of two. Then the input doubles from a sixteenth of
 * `largeSize` to all of it, and each size's time per character is divided by the baseline's:
 * about 1 for linear work (up to 4 where a megabyte no longer fits the processor's caches, as
 * measured), the size over the baseline's for a quadratic one (4, 8, 16, 32, 64). It stops at the
 * first size over `limit`, so that a quadratic parser fails early rather than running for minutes on
 * the whole input; one just over is measured once more, so that a stray garbage collection is not
 * a failure. Each time is of runs again and again until 20 ms have passed (at most `factor` of them),
 * so that the timer's resolution and the odd pause do not count.
 */
export async function linearTimeCheck(
  work: (input: string) => unknown,
  build: (size: number) => string,
  options: { largeSize?: number; factor?: number; limit?: number } = {},
): Promise<LinearTimeCheck> {
  const largeSize = options.largeSize ?? 1024 * 1024;
  const factor = options.factor ?? 64;
  const limit = options.limit ?? 8;
  // A fresh input for every run, built outside the timing: V8 caches some results per string
  // (a split or a global replace of the same string object), which made repeated runs look faster.
  const msPerRun = async (size: number): Promise<number> => {
    let spent = 0;
    let runs = 0;
    do {
      const input = build(size);
      input.charCodeAt(0); // flattened before the timing, as a string read from a socket is
      const started = performance.now();
      await work(input);
      spent += performance.now() - started;
      runs += 1;
    } while (spent < 20 && runs < factor);
    return spent / runs;
  };
  const baselineSize = Math.floor(largeSize / factor);
  await work(build(baselineSize)); // warm-up: compile the code paths once before anything is timed
  const baselineMsPerChar = Math.min(await msPerRun(baselineSize), await msPerRun(baselineSize)) / baselineSize;
  let check: LinearTimeCheck | undefined;
  for (const size of [16, 8, 4, 2, 1].map((part) => Math.floor(largeSize / part))) {
    let ms = await msPerRun(size);
    const ratio = ms / size / baselineMsPerChar;
    if (ratio > limit && ratio < 2 * limit) ms = Math.min(ms, await msPerRun(size));
    check = { ratio: ms / size / baselineMsPerChar, size, ms, baselineMsPerChar };
    if (check.ratio > limit) break;
  }
  return check!;
}
