/** How long work held this thread: a 10 ms timer ticks while it runs; the longest gap between ticks is the hold. */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ stallMs: number; elapsedMs: number; outcome: PromiseSettledResult<T> }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  const t0 = performance.now();
  const [outcome] = await Promise.allSettled([Promise.resolve().then(work)]);
  const elapsedMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 30));
  clearInterval(timer);
  return { stallMs, elapsedMs, outcome: outcome! };
}
