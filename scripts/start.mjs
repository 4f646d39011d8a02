#!/usr/bin/env node
// npm start: compile what changed (incremental, about a second when nothing did), then serve.
// With no Facebook app configured (outside production), it runs the sandbox: the Messenger Platform simulator plays
// Meta on a loopback port, seeded from simulator/seed.example.json, and the app is pointed at it.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

const { serverNodeFlags } = await import(path.join(root, 'dist', 'server', 'platform', 'process-flags.js'));
const env = { ...process.env };
const isSandbox = env.NODE_ENV !== 'production' && !env.FB_APP_ID && !env.FB_GRAPH_URL;
const children = [];

function run(script, childEnv, flags = []) {
  const child = spawn(process.execPath, [...flags, path.join(root, 'dist', script)], {
    cwd: root,
    stdio: 'inherit',
    env: childEnv,
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  return child;
}

if (isSandbox) {
  const seedPath = env.SIM_SEED ?? path.join(root, 'simulator', 'seed.example.json');
  const seed = JSON.parse(readFileSync(seedPath, 'utf8'));
  const simulatorUrl = `http://127.0.0.1:${env.SIM_PORT ?? 3900}`;
  const verifyToken = 'pagewire-sandbox-verify-token';
  console.log(`[sandbox] no Facebook app configured: Meta is played by the simulator at ${simulatorUrl}`);
  run(path.join('simulator', 'main.js'), {
    ...env,
    SIM_SEED: seedPath,
    SIM_WEBHOOK_URL: `http://127.0.0.1:${env.PORT ?? 3000}/webhooks/facebook`,
    SIM_VERIFY_TOKEN: verifyToken,
  });
  Object.assign(env, {
    FB_APP_ID: seed.appId,
    FB_APP_SECRET: seed.appSecret,
    FB_VERIFY_TOKEN: verifyToken,
    FB_GRAPH_URL: simulatorUrl,
    FB_DIALOG_URL: simulatorUrl,
  });
}
run(path.join('server', 'main.js'), env, serverNodeFlags(env));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  });
}
