import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { connectMongoose } from '../../server/platform/database/mongoose-connection';

export function testDatabaseUri(): string {
  const uri = process.env.PAGEWIRE_TEST_DATABASE_URI;
  if (!uri) throw new Error('PAGEWIRE_TEST_DATABASE_URI is not set: run tests through jest (global setup).');
  return uri;
}

export function testDatabaseKind(): string {
  return process.env.PAGEWIRE_TEST_DATABASE_KIND ?? 'unknown';
}

export function freshDatabaseName(): string {
  return `pw_test_${randomBytes(6).toString('hex')}`;
}

const stopsBeforeDisconnect = new Set<() => Promise<void>>();

/**
 * Registers something running on the test database (a server) so that the database's teardown stops it first. Jest
 * runs afterAll hooks in declaration order, so a file's own `app.stop()` comes after useTestDatabase's disconnect;
 * a server stopping on a closed client fails the file whenever Agenda still holds a lock. Returns the stop, made
 * idempotent, for the file to call as before.
 */
export function stopBeforeDatabaseCloses(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stopOnce = () => (stopping ??= stop().finally(() => stopsBeforeDisconnect.delete(stopOnce)));
  stopsBeforeDisconnect.add(stopOnce);
  return stopOnce;
}

/**
 * Gives the calling test file a database of its own: connected before its tests, dropped after them.
 * Returns a getter because the connection exists only once `beforeAll` has run.
 */
export function useTestDatabase(): { name: string; connection: () => mongoose.Connection } {
  const name = freshDatabaseName();
  beforeAll(async () => {
    await connectMongoose(testDatabaseUri(), name);
  });
  afterAll(async () => {
    for (const stop of [...stopsBeforeDisconnect]) await stop();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { name, connection: () => mongoose.connection };
}
