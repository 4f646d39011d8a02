#!/usr/bin/env node
// npm run start:cluster: as npm start (compile, build the dashboard, the sandbox when no Facebook app is configured),
// but several app processes behind the one port, sharing the database and a Redis (server/cluster.ts).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProcessGroup, waitUntilAnswering } from './child-processes.mjs';
import { buildClientIfChanged } from './client-build.mjs';
import { openMessage, sandboxFor } from './sandbox.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
buildClientIfChanged(root);

const sandbox = sandboxFor(process.env, root);
const env = sandbox?.serverEnv ?? { ...process.env };
const group = createProcessGroup(root);

if (sandbox) {
  console.log(
    `[sandbox] no Facebook app configured: Meta is played by the simulator at ${sandbox.simulatorUrl}`,
  );
  group.start(process.execPath, [path.join(root, 'dist', 'simulator', 'main.js')], sandbox.simulatorEnv);
}
group.start(process.execPath, [path.join(root, 'dist', 'server', 'cluster.js')], env);

const port = env.PORT ?? 3000;
const listensOnEveryInterface = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::';
const local = `http://${listensOnEveryInterface ? '127.0.0.1' : env.HOST}:${port}`;
if (await waitUntilAnswering(`${local}/readyz`, group)) {
  console.log(openMessage(env.PUBLIC_URL ?? `http://localhost:${port}`, sandbox));
}
