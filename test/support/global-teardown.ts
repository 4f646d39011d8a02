import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.pagewireTestRedis?.stop();
  const database = globalThis.pagewireTestDatabase;
  if (!database) return;
  await database.server.stop();
  rmSync(database.dataDir, { recursive: true, force: true });
}
