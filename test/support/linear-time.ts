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
