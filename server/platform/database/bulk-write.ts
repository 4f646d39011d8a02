/**
 * FerretDB v1.24 on SQLite keeps a result set open for every statement of one `update` command until the whole
 * command ends, and its SQLite pool holds 100 connections: one bulk write of 100 or more updates never answers, and
 * every other client of the database hangs behind it. Bulk writes therefore go in chunks well below that; on MongoDB
 * the chunks cost a few extra round trips and nothing else.
 */
export const bulkWriteChunkSize = 50;

export async function writeInChunks<Operation>(
  operations: Operation[],
  write: (chunk: Operation[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < operations.length; start += bulkWriteChunkSize) {
    await write(operations.slice(start, start + bulkWriteChunkSize));
  }
}
