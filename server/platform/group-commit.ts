/**
 * Calls that arrive while a write is on its way to the database wait and go together in the next one: one round trip
 * for many callers under load, none added when calls come one at a time (the first goes at once). `write` gets the
 * inputs in arrival order and answers one result per input, in the same order.
 */
export function groupCommit<Input, Result>(
  write: (inputs: Input[]) => Promise<Result[]>,
): (input: Input) => Promise<Result> {
  type Waiting = { input: Input; resolve: (result: Result) => void; reject: (error: unknown) => void };
  let queued: Waiting[] = [];
  let writing = false;

  async function flush(): Promise<void> {
    writing = true;
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        const results = await write(batch.map((waiting) => waiting.input));
        batch.forEach((waiting, index) => waiting.resolve(results[index] as Result));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    writing = false;
  }

  return (input) =>
    new Promise<Result>((resolve, reject) => {
      queued.push({ input, resolve, reject });
      if (!writing) void flush();
    });
}
