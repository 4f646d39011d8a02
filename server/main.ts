import path from 'node:path';
import { loadConfigOrExit } from './config';
import { AdjustableClock, systemClock } from './platform/clock';
import { resolveDatabaseServer } from './platform/database/database-server';
import { connectMongoose } from './platform/database/mongoose-connection';
import { createLogger, type Logger } from './platform/logger';
import { startServer } from './server';

const repositoryRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..',
);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.LOG_LEVEL });
  if (config.generatedSecrets.length > 0) {
    logger.warn(
      { generated: config.generatedSecrets, file: path.join(config.DATA_DIR, 'dev-secrets.json') },
      'using generated development secrets; set them in the environment for production',
    );
  }

  const databaseServer = await resolveDatabaseServer({
    ...(config.MONGODB_URI ? { mongodbUri: config.MONGODB_URI } : {}),
    dataDir: path.join(config.DATA_DIR, 'db'),
    toolsRoot: repositoryRoot,
    logger,
  });
  const mongoose = await connectMongoose(databaseServer.uri, config.databaseName);
  // The sandbox moves the app's time with the simulator's (POST /api/sandbox/clock/advance).
  const clock = config.SANDBOX ? new AdjustableClock() : systemClock;
  const server = await startServer({ config, logger, clock, db: mongoose.connection });
  logger.info({ url: config.publicUrl, listening: server.url }, `Pagewire is serving on ${config.publicUrl}`);

  installShutdown(logger, async () => {
    await server.stop();
    await mongoose.disconnect();
    await databaseServer.stop();
  });
}

function installShutdown(logger: Logger, shutdown: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    forceExit.unref();
    shutdown()
      .then(() => {
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(`Pagewire failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
