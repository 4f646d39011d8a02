/** The old-generation heap the server runs in unless `PAGEWIRE_HEAP_MB` says otherwise. */
export const defaultHeapMb = 128;

/**
 * Node flags of the server process: `npm start` runs it with these, and so do the tests and benchmarks that run it
 * as production does. V8 sizes its heap from the machine's memory (about 4 GB on 24 GB) and collects lazily within
 * it, so resident memory grows with garbage rather than with what the server holds; a stated heap makes memory a
 * property of Pagewire, not of the host. A broadcast of 100,000 recipients runs in this default (BENCHMARKS.md).
 */
export function serverNodeFlags(env: NodeJS.ProcessEnv): string[] {
  const heapMb = Number(env.PAGEWIRE_HEAP_MB ?? defaultHeapMb);
  if (!Number.isInteger(heapMb) || heapMb < 64) {
    throw new Error(
      `PAGEWIRE_HEAP_MB must be a whole number of megabytes, at least 64 (got ${env.PAGEWIRE_HEAP_MB})`,
    );
  }
  return [`--max-old-space-size=${heapMb}`];
}
