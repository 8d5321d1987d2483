// Lanes of work side by side, a few at a time: the dispatcher's deliveries to different targets
// (delivery-order.ts, inDeliveryLanes), so that one slow platform call delays only its own target.

/** One lane: a key naming it (the dispatcher's: platform and target id) and its items, in order. */
export interface Lane<T> {
  key: string;
  items: readonly T[];
}

/**
 * The lanes one process has in flight, over any number of runs (the dispatcher's passes): a lane is
 * in flight from the moment a run is given it until its last item is done, its wait for a slot
 * included. At most `limit` lanes run at once over all runs; lanes waiting for a slot start in the
 * order they were given. `onLaneDone` is called after each lane left (e.g. to look again for the
 * work it held up). Throws at once on a `limit` that is not a positive integer.
 */
export class LaneRunner {
  private readonly keys = new Set<string>();
  private readonly runs = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(
    private readonly limit: number,
    private readonly onLaneDone: () => void = () => undefined,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`runLanes limit must be a positive integer, got ${limit}`);
  }

  /** Lanes in flight: running or waiting for a slot. */
  get size(): number {
    return this.keys.size;
  }

  /** Whether the lane named `key` is in flight. */
  busy(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * Runs `work` for every item of every lane: the items of one lane one after another, in order.
   * Resolves once all of this run's lanes have finished. When `work` throws, no further item of this
   * run is started (in any of its lanes), its items already running are waited for, and the first
   * error is thrown then, so that nothing of the run goes on after the returned promise settles.
   * Throws (before starting anything) when a lane's key is in flight already: its items would
   * overtake the earlier ones.
   */
  run<T>(lanes: readonly Lane<T>[], work: (item: T) => Promise<void>): Promise<void> {
    const keys = lanes.map((lane) => lane.key);
    const taken = keys.find((key, i) => this.keys.has(key) || keys.indexOf(key) !== i);
    if (taken !== undefined) return Promise.reject(new Error(`lane ${taken} is in flight already`));
    for (const key of keys) this.keys.add(key);
    let failure: { error: unknown } | undefined;
    const lane = async ({ key, items }: Lane<T>): Promise<void> => {
      await this.slot();
      try {
        for (const item of items) {
          if (failure !== undefined) return;
          try {
            await work(item);
          } catch (error) {
            failure ??= { error };
            return;
          }
        }
      } finally {
        this.leave(key);
      }
    };
    const all: Promise<void> = Promise.allSettled(lanes.map(lane)).then(() => {
      this.runs.delete(all);
    });
    this.runs.add(all);
    return all.then(() => {
      if (failure !== undefined) throw failure.error;
    });
  }

  /** Resolves once no lane is in flight, lanes of runs started meanwhile included. */
  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs]);
  }

  private async slot(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return;
    }
    // The slot is handed over by leave(), so `running` stays as it is.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private leave(key: string): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
    this.keys.delete(key);
    this.onLaneDone();
  }
}

/**
 * Runs `work` for every item of every lane: the items of one lane one after another, in order; at
 * most `limit` lanes at a time, taken in the order given. Resolves once all of it has finished.
 * When `work` throws, no further item is started (in any lane), the items already running are
 * waited for, and the first error is thrown then, so that nothing runs on after the returned
 * promise settles. Throws at once on a `limit` that is not a positive integer.
 */
export async function runLanes<T>(lanes: readonly (readonly T[])[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  await new LaneRunner(limit).run(
    lanes.map((items, i) => ({ key: String(i), items })),
    work,
  );
}
