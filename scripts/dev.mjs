#!/usr/bin/env node
// npm run dev: the server under tsx watch (restarted on every change, with npm start's sandbox) and vite's dev
// server side by side. The browser opens vite's address (DEV_CLIENT_PORT, default 5173), which forwards /api,
// /auth, /r and /socket.io to the server (client/vite.config.ts), so PUBLIC_URL is vite's: the OAuth callback and
// the session cookie live there.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProcessGroup, waitUntilAnswering } from './child-processes.mjs';
import { openMessage, sandboxFor } from './sandbox.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = path.join(root, 'client');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
// vite itself, not `npm run dev`: npm does not pass a signal on, which would leave vite running.
const viteManifest = createRequire(path.join(clientDir, 'package.json')).resolve('vite/package.json');
const vite = path.join(path.dirname(viteManifest), 'bin', 'vite.js');
const vitePort = Number(process.env.DEV_CLIENT_PORT ?? 5173);
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${vitePort}`;

const sandbox = sandboxFor(process.env, root);
const env = { ...(sandbox?.serverEnv ?? process.env), PUBLIC_URL: publicUrl };
const serverUrl = `http://127.0.0.1:${env.PORT ?? 3000}`;
const group = createProcessGroup(root);

if (sandbox) {
  console.log(
    `[sandbox] no Facebook app configured: Meta is played by the simulator at ${sandbox.simulatorUrl}`,
  );
  group.start(process.execPath, [tsx, 'simulator/main.ts'], sandbox.simulatorEnv);
}
group.start(process.execPath, [tsx, 'watch', 'server/main.ts'], env);
group.start(
  process.execPath,
  [vite, '--port', String(vitePort), '--strictPort'],
  { ...process.env, PAGEWIRE_URL: serverUrl },
  clientDir,
);

// The server first, so that vite's proxy has somewhere to forward the second poll.
const isServing = await waitUntilAnswering(`${serverUrl}/healthz`, group);
if (isServing && (await waitUntilAnswering(`${publicUrl}/healthz`, group))) {
  console.log(openMessage(publicUrl, sandbox));
}
