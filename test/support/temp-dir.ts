import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Made by the jest run's global setup: a directory of the run's own, removed with all it holds at its teardown. */
export const runTempDirVariable = 'PAGEWIRE_TEST_TMP';

const removeAtExit = new Set<string>();

/**
 * A fresh directory for a test's or a benchmark's files (data directories, databases, logs). Inside a jest run it is
 * made in the run's own directory, which the global teardown removes; anywhere else (a benchmark, the fuzzer, a
 * Playwright run) it is removed as the process exits. Either way a run leaves nothing in the system's temp directory:
 * before, every test's configuration left one behind, thousands a day.
 */
export function testTempDir(prefix: string): string {
  const runDir = process.env[runTempDirVariable];
  if (runDir) return mkdtempSync(path.join(runDir, `${prefix}-`));
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  if (removeAtExit.size === 0) {
    process.once('exit', () => {
      for (const removed of removeAtExit) rmSync(removed, { recursive: true, force: true });
    });
  }
  removeAtExit.add(dir);
  return dir;
}
