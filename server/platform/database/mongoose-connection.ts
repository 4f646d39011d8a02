import mongoose from 'mongoose';

/**
 * Connects the process-wide mongoose connection that every model in models/ is bound to, and builds the indexes
 * declared beside the schemas before anything writes: the unique ones carry the exactly-once guarantees.
 */
export async function connectMongoose(uri: string, dbName: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    autoIndex: false,
  });
  await ensureIndexes();
  return mongoose;
}

/**
 * Indexes an earlier version declared and nothing reads by any more: a database created before keeps them, and every
 * write to the collection would go on paying for them, so they are dropped at start.
 */
export const retiredIndexes: readonly { collection: string; name: string }[] = [
  // The sweep's walk of the retries not yet due; it now asks only about the conversations it read.
  { collection: 'webhookevents', name: 'status_1_nextAttemptAt_1_occurredAt_1_sequence_1' },
];

/** MongoDB's and FerretDB's codes for "no such index" and "no such collection". */
const indexNotFound = 27;
const namespaceNotFound = 26;

export async function ensureIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.connection.models)) {
    await model.createIndexes();
  }
  for (const { collection, name } of retiredIndexes) {
    await mongoose.connection
      .collection(collection)
      .dropIndex(name)
      .catch((error: { code?: number }) => {
        if (error.code !== indexNotFound && error.code !== namespaceNotFound) throw error;
      });
  }
}

export async function isDatabaseReachable(timeoutMs = 2_000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = db
    .admin()
    .command({ ping: 1 })
    .then(() => true)
    .catch(() => false);
  return Promise.race([ping, timeout]);
}
