import { MongoClient } from 'mongodb';

/** Polls until the server answers `ping`, so callers never race a database that is still starting. */
export async function waitForPing(uri: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(
    `database at ${redactUri(uri)} did not answer ping within ${timeoutMs} ms: ${String(lastError)}`,
  );
}

export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]+@/, '//[credentials]@');
}
