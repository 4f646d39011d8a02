/**
 * The other OS process of a race (see `startRaceProcess` in write-races.ts): connects, says `ready`, waits for `go`
 * on stdin, runs the race given in RACE_TASK against RACE_URI / RACE_DB and prints its result as one JSON line.
 */
import { once } from 'node:events';
import { claimAll, connectClients, incrementConcurrently, type RaceTask } from './write-races';

async function main(): Promise<void> {
  const task = JSON.parse(process.env.RACE_TASK ?? '') as RaceTask;
  const { dbs, close } = await connectClients(
    process.env.RACE_URI ?? '',
    process.env.RACE_DB ?? '',
    task.clients,
  );
  try {
    await Promise.all(dbs.map((db) => db.command({ ping: 1 })));
    process.stdout.write('ready\n');
    process.stdin.resume();
    await once(process.stdin, 'end');
    if (task.kind === 'increment') {
      await incrementConcurrently(dbs, task.counterId, task.perClient);
      process.stdout.write(`${JSON.stringify({ done: true })}\n`);
    } else {
      const claims = await claimAll(dbs, task.batch, task.claimer, task.workersPerClient);
      process.stdout.write(`${JSON.stringify(claims)}\n`);
    }
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
