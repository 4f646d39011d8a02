import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const database = globalThis.pagewireTestDatabase;
  if (!database) return;
  await database.server.stop();
  rmSync(database.dataDir, { recursive: true, force: true });
}
