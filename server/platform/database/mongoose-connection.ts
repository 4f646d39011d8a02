import mongoose from 'mongoose';
import { MongoClient } from 'mongodb';

/**
 * FerretDB v1 on SQLite applies an update as read, modify, write without a transaction, so two writers racing on
 * one document can both "win" a findOneAndUpdate claim (FerretDB/FerretDB#3040). One connection serialises our
 * operations, which makes each single-document update atomic again for everything this process does, Agenda's locks
 * included. MongoDB needs no such limit.
 */
export async function isFerretDB(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const info = await client.db('admin').command({ buildInfo: 1 });
    return 'ferretdbVersion' in info;
  } finally {
    await client.close();
  }
}

/**
 * Connects the process-wide mongoose connection that every model in models/ is bound to, and builds the indexes
 * declared beside the schemas before anything writes: the unique ones carry the exactly-once guarantees.
 */
export async function connectMongoose(uri: string, dbName: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  const serialise = await isFerretDB(uri);
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    autoIndex: false,
    ...(serialise ? { maxPoolSize: 1, minPoolSize: 1 } : {}),
  });
  await ensureIndexes();
  return mongoose;
}

export async function ensureIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.connection.models)) {
    await model.createIndexes();
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
