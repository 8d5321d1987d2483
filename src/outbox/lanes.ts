// Lanes of work side by side, a few at a time: the dispatcher's deliveries to different targets
// (delivery-order.ts, inDeliveryLanes), so that one slow platform call delays only its own target.

/**
 * Runs `work` for every item of every lane: the items of one lane one after another, in order; at
 * most `limit` lanes at a time, taken in the order given. Resolves once all of it has finished.
 * When `work` throws, no further item is started (in any lane), the items already running are
 * waited for, and the first error is thrown then, so that nothing runs on after the returned
 * promise settles. Throws at once on a `limit` that is not a positive integer.
 */
export async function runLanes<T>(lanes: readonly (readonly T[])[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`runLanes limit must be a positive integer, got ${limit}`);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < lanes.length) {
      const lane = lanes[next++] ?? [];
      for (const item of lane) {
        if (failure !== undefined) return;
        try {
          await work(item);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, lanes.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
