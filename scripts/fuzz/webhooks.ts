/**
 * Webhook fuzzing: generated signed bodies (test/support/webhook-fuzz.ts) POSTed one after another to the real app
 * on a real database, with the simulator as Meta and Page 2001 connected, so every handler runs. Prints the figures
 * and exits 1 if any 5xx, failed /healthz or half-stored event was seen. Starts its own database, simulator and app.
 *
 *   npm run fuzz:webhooks            # 10,000 bodies; FUZZ_BODIES and FUZZ_SEED override
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { resolveDatabaseServer } from '../../server/platform/database/database-server';
import { connectMongoose } from '../../server/platform/database/mongoose-connection';
import { startLiveChatWorld } from '../../test/server/livechat/livechat-world';
import { fuzzWebhooks, settleWebhookProcessing } from '../../test/support/webhook-fuzz';
import { testTempDir } from '../../test/support/temp-dir';

const total = Number(process.env.FUZZ_BODIES ?? 10_000);
const seed = process.env.FUZZ_SEED === undefined ? Date.now() : Number(process.env.FUZZ_SEED);
const settleSeconds = Number(process.env.FUZZ_SETTLE_SECONDS ?? 1_800);

async function main(): Promise<boolean> {
  const database = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir: testTempDir('pagewire-fuzz-db'),
    toolsRoot: path.resolve(__dirname, '../..'),
  });
  await connectMongoose(database.uri, `pw_fuzz_${randomBytes(4).toString('hex')}`);
  const world = await startLiveChatWorld();
  try {
    const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    const figures = await fuzzWebhooks(
      {
        url: world.app.url,
        appSecret: world.simulator.appSecret,
        pages: ['2001', '2002'],
        psids: await Promise.all(people.map((person) => world.simulator.control.psidFor(person, '2001'))),
        // 10,000 bodies leave a backlog the processor works through after the last POST: minutes on a busy machine.
        settle: () => settleWebhookProcessing(world.app.server().webhooks.processor, settleSeconds * 1000),
        logs: world.app.logs,
      },
      total,
      seed,
    );
    const { missingKeys, unreadableStored, failedEvents, ...summary } = figures;
    process.stdout.write(
      `webhook fuzz on ${database.kind}, seed ${seed}:\n${JSON.stringify(summary, null, 2)}\n` +
        (figures.halfStored > 0
          ? `${JSON.stringify({ missingKeys, unreadableStored, failedEvents }, null, 2).slice(0, 4_000)}\n`
          : ''),
    );
    return figures.serverErrors === 0 && figures.healthFailures === 0 && figures.halfStored === 0;
  } finally {
    await world.stop();
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
    await database.stop();
  }
}

// Exits explicitly: the app's socket.io and HTTP agents may keep the event loop alive for a while.
main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    // fast-check keeps what the failing body raised (a 5xx, a timeout) in `cause`.
    const cause = error instanceof Error && error.cause ? `\ncaused by: ${String(error.cause)}` : '';
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}${cause}\n`,
    );
    process.exit(1);
  },
);
