import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A second OS process on the test's database: runs `script` (a file in this folder) with tsx and the given
 * environment. It answers in lines on its stdout and is told what to do on its stdin. Used by `startRaceProcess`
 * (write-races.ts) and by the two-process Agenda test.
 */
export function spawnOtherProcess(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script)], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const messages: string[] = [];
  let onMessage = () => {};
  lines.on('line', (line) => {
    messages.push(line);
    onMessage();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return {
    /** The next line the process wrote; rejects with its stderr if it exits first. */
    async nextMessage(): Promise<string> {
      const waitForLine = new Promise<void>((resolve) => (onMessage = resolve));
      if (messages.length === 0) await Promise.race([waitForLine, exited]);
      const message = messages.shift();
      if (message === undefined) throw new Error(`${script} exited early:\n${errors}`);
      return message;
    },
    send: (line: string) => child.stdin.write(`${line}\n`),
    /** Closes its stdin: the last thing it is told. */
    end: () => child.stdin.end(),
    /** Resolves once it has exited with 0; rejects with its stderr otherwise. */
    async succeeded(): Promise<void> {
      if ((await exited) !== 0) throw new Error(`${script} failed:\n${errors}`);
    },
    kill: () => child.kill('SIGKILL'),
  };
}
