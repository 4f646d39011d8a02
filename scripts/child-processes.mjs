// The processes npm start and npm run dev run side by side: when one exits, the others are stopped, and a signal
// to the script reaches every one of them.
import { spawn } from 'node:child_process';

export function createProcessGroup(root) {
  const children = [];
  let stopping = false;

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stopping = true;
      for (const child of children) if (child.exitCode === null) child.kill(signal);
    });
  }

  return {
    get stopping() {
      return stopping;
    },
    start(command, args, env, cwd = root) {
      const child = spawn(command, args, { cwd, stdio: 'inherit', env });
      children.push(child);
      child.on('exit', (code, signal) => {
        // The first to exit says how it went; the others exit because they were told to.
        process.exitCode ??= code ?? (signal ? 1 : 0);
        stopping = true;
        for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
      });
      return child;
    },
  };
}

/** Polls `url` until it answers 200; false if the group stopped first. */
export async function waitUntilAnswering(url, group) {
  while (!group.stopping) {
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
