#!/usr/bin/env node
// npm start: compile what changed (incremental, about a second when nothing did), build the dashboard when its
// sources changed, then serve. With no Facebook app configured (outside production), it runs the sandbox
// (scripts/sandbox.mjs).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProcessGroup, waitUntilAnswering } from './child-processes.mjs';
import { buildClientIfChanged } from './client-build.mjs';
import { openMessage, sandboxFor } from './sandbox.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
buildClientIfChanged(root);

const { serverNodeFlags } = await import(path.join(root, 'dist', 'server', 'platform', 'process-flags.js'));
const sandbox = sandboxFor(process.env, root);
const env = sandbox?.serverEnv ?? { ...process.env };
const group = createProcessGroup(root);

if (sandbox) {
  console.log(
    `[sandbox] no Facebook app configured: Meta is played by the simulator at ${sandbox.simulatorUrl}`,
  );
  group.start(process.execPath, [path.join(root, 'dist', 'simulator', 'main.js')], sandbox.simulatorEnv);
}
group.start(process.execPath, [...serverNodeFlags(env), path.join(root, 'dist', 'server', 'main.js')], env);

const port = env.PORT ?? 3000;
const listensOnEveryInterface = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::';
const local = `http://${listensOnEveryInterface ? '127.0.0.1' : env.HOST}:${port}`;
if (await waitUntilAnswering(`${local}/healthz`, group)) {
  console.log(openMessage(env.PUBLIC_URL ?? `http://localhost:${port}`, sandbox));
}
