/** E11000: a unique index refused the write. Every exactly-once rule in Pagewire is a unique index. */
export const isDuplicateKey = (error: unknown): boolean =>
  (error as { code?: number } | null)?.code === 11000;

/** Whether an unordered bulk insert failed only on documents that already exist (a repeat, not a failure). */
export function isOnlyDuplicateKeys(error: unknown): boolean {
  const { writeErrors } = error as { writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (writeErrors) return writeErrors.every((e) => (e.err?.code ?? e.code) === 11000);
  return isDuplicateKey(error);
}
