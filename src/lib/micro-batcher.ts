/**
 * Group commit for work that arrives concurrently: callers submit one item
 * each and await their own result, while the items are handed to `run` in
 * batches. A batch starts as soon as fewer than `maxInFlight` batches are
 * running and takes everything submitted meanwhile (at most `maxBatch`), so
 * one caller alone is not delayed and many callers share round trips to
 * Postgres and Redis instead of each paying for their own.
 */

export interface MicroBatcherOptions<I, R> {
  /** Processes a batch; returns one result per item, in order. A throw fails every item of the batch. */
  run: (items: I[]) => Promise<R[]>;
  /** Largest batch; default 100. */
  maxBatch?: number;
  /** Batches running at once; default 2. */
  maxInFlight?: number;
}

export interface MicroBatcher<I, R> {
  submit(item: I): Promise<R>;
}

interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function createMicroBatcher<I, R>(options: MicroBatcherOptions<I, R>): MicroBatcher<I, R> {
  const maxBatch = options.maxBatch ?? 100;
  const maxInFlight = options.maxInFlight ?? 2;
  let waiting: Array<Waiting<I, R>> = [];
  let inFlight = 0;
  let scheduled = false;

  const pump = () => {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      options
        .run(batch.map((w) => w.item))
        .then(
          (results) => {
            if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} returned ${results.length} results`);
            batch.forEach((w, i) => w.resolve(results[i]!));
          },
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(() => {
          inFlight--;
          schedule();
        });
    }
  };
  // Items submitted in the same turn of the event loop go into one batch.
  const schedule = () => {
    if (scheduled || waiting.length === 0) return;
    scheduled = true;
    setImmediate(pump);
  };

  return {
    submit: (item) =>
      new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      }),
  };
}
