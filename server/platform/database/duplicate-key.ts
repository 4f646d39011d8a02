/** E11000: a unique index refused the write. Every exactly-once rule in Pagewire is a unique index. */
export const isDuplicateKey = (error: unknown): boolean =>
  (error as { code?: number } | null)?.code === 11000;

/** Whether an unordered bulk insert failed only on documents that already exist (a repeat, not a failure). */
export function isOnlyDuplicateKeys(error: unknown): boolean {
  const { writeErrors } = error as { writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (writeErrors) return writeErrors.every((e) => (e.err?.code ?? e.code) === 11000);
  return isDuplicateKey(error);
}

/** Retries an upsert once: the loser of a race to the first insert finds the winner's document on the second try. */
export async function upsertOnce<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return run();
  }
}
