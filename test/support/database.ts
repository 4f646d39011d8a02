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
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { name, connection: () => mongoose.connection };
}
