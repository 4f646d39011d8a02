/**
 * Runs a script's main and exits when it settles. Exiting is explicit because a stopped Agenda still holds a timer
 * for up to half of a job's lock lifetime (its liveness check), which would keep the process alive for minutes.
 */
export function runToExit(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
