// Builds the dashboard (client/dist) only when what it is built from changed since the last build, whose sources'
// hash is kept beside it in client/dist/.source-hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Relative to client/; the lock file is the root's, since the workspace's dependencies are installed there. */
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', '../package-lock.json'];

function filesUnder(entry) {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry)
    .sort()
    .flatMap((name) => filesUnder(path.join(entry, name)));
}

export function clientSourceHash(clientDir) {
  const hash = createHash('sha256');
  for (const file of sources.flatMap((source) => filesUnder(path.join(clientDir, source)))) {
    hash.update(`${path.relative(clientDir, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function buildClientIfChanged(root) {
  const clientDir = path.join(root, 'client');
  const distDir = path.join(clientDir, 'dist');
  const marker = path.join(distDir, '.source-hash');
  if (!existsSync(path.join(clientDir, 'src'))) {
    console.log('[client] no client/src yet: the dashboard pages answer 503 until it is written and built');
    return;
  }
  const hash = clientSourceHash(clientDir);
  const isCurrent =
    existsSync(path.join(distDir, 'index.html')) &&
    existsSync(marker) &&
    readFileSync(marker, 'utf8') === hash;
  if (isCurrent) {
    console.log('[client] the dashboard build is up to date');
    return;
  }
  console.log('[client] the dashboard changed since its last build: npm run build:client');
  execFileSync('npm', ['run', '--silent', 'build:client'], { cwd: root, stdio: 'inherit' });
  writeFileSync(marker, hash);
}
