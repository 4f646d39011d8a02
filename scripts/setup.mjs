#!/usr/bin/env node
// npm run setup: installs dependencies, builds the embedded database when no other is available, compiles.
// Idempotent and fast when already done: each step checks before it works.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const FERRETDB_VERSION = 'v1.24.2';
const SQLITE_DRIVER_MODULE = 'modernc.org/sqlite';
const toolsBin = path.join(root, '.tools', 'bin');
const ferretdbBinary = path.join(toolsBin, 'ferretdb');

const run = (command, args, options = {}) =>
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
const onPath = (binary) => spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
const step = (message) => console.log(`\n[setup] ${message}`);

/** What `npm ci` installs from: the lock file and the patches its `postinstall` applies (scripts/npm-patches). */
function installRecipeHash() {
  const hash = createHash('sha256').update(readFileSync(path.join(root, 'package-lock.json')));
  const patches = path.join(root, 'scripts', 'npm-patches');
  for (const name of readdirSync(patches).sort())
    hash.update(name).update(readFileSync(path.join(patches, name)));
  return hash.digest('hex');
}

function installDependencies() {
  const hash = installRecipeHash();
  const marker = path.join(root, 'node_modules', '.pagewire-lock-hash');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) {
    step('dependencies are up to date');
    return;
  }
  step('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(marker, hash);
}

/**
 * `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` is the documented way, but here it fails twice over:
 * the module proxy refuses the version list it reads for deprecation notices, and a binary built outside FerretDB's
 * own release process panics at start because build/version/version.txt is absent. So: download exactly that
 * module version, add version.txt, apply the patches in scripts/ferretdb/ in the order of their names (each says what
 * it changes and why), and `go build` it into .tools/bin. The SQLite driver FerretDB builds with is patched the same
 * way, from scripts/ferretdb/modernc-sqlite/. A change to any patch changes the recipe, hence a rebuild.
 */
const patchesDir = path.join(root, 'scripts', 'ferretdb');
const patchesIn = (dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.patch'))
    .sort()
    .map((name) => path.join(dir, name));
const ferretdbPatches = patchesIn(patchesDir);
const sqliteDriverPatches = patchesIn(path.join(patchesDir, 'modernc-sqlite'));
const patchesHash = createHash('sha256');
for (const file of [...ferretdbPatches, ...sqliteDriverPatches])
  patchesHash.update(path.relative(patchesDir, file)).update(readFileSync(file));
const ferretdbRecipe = `${FERRETDB_VERSION}+${patchesHash.digest('hex').slice(0, 12)}`;
const recipeFile = path.join(toolsBin, 'ferretdb.recipe');

function applyPatches(dir, patches) {
  // A repository of its own, so that `git apply` resolves the patches' paths against the directory, not against an
  // enclosing checkout.
  run('git', ['init', '--quiet'], { cwd: dir });
  for (const file of patches) run('git', ['apply', '--verbose', file], { cwd: dir });
}

/**
 * A copy of the driver module FerretDB's go.mod names, made of links to the module cache except for the files the
 * patches change (copied, then patched), and FerretDB's go.mod pointed at it with a replace directive.
 */
function patchSqliteDriver(source) {
  const driver = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', SQLITE_DRIVER_MODULE], { cwd: source }).toString(),
  );
  const copy = path.join(root, '.tools', 'src', `sqlite-driver-${driver.Version}`);
  rmSync(copy, { recursive: true, force: true });
  const linkTree = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const [entryFrom, entryTo] = [path.join(from, entry.name), path.join(to, entry.name)];
      if (entry.isDirectory()) linkTree(entryFrom, entryTo);
      else symlinkSync(entryFrom, entryTo);
    }
  };
  linkTree(driver.Dir, copy);
  const changed = new Set(
    sqliteDriverPatches.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^\+\+\+ b\/(\S+)/gm)].map((match) => match[1]),
    ),
  );
  for (const file of changed) {
    rmSync(path.join(copy, file));
    cpSync(path.join(driver.Dir, file), path.join(copy, file));
    chmodSync(path.join(copy, file), 0o644);
  }
  applyPatches(copy, sqliteDriverPatches);
  run('go', ['mod', 'edit', `-replace=${SQLITE_DRIVER_MODULE}=${copy}`], { cwd: source });
  return copy;
}

function buildFerretDB() {
  if (process.env.MONGODB_URI) return step('MONGODB_URI is set: no embedded database needed');
  if (onPath('mongod')) return step('mongod is on PATH: no embedded database needed');
  if (
    existsSync(ferretdbBinary) &&
    existsSync(recipeFile) &&
    readFileSync(recipeFile, 'utf8') === ferretdbRecipe
  ) {
    return step(`FerretDB ${ferretdbRecipe} is already built`);
  }
  if (!onPath('go')) {
    return step('Go is not installed: the database harness will fall back to mongodb-memory-server');
  }
  step(`building FerretDB ${ferretdbRecipe} into .tools/bin (first time only)`);
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
      cwd: root,
    }).toString(),
  );
  const source = path.join(root, '.tools', 'src', `ferretdb-${FERRETDB_VERSION}`);
  rmSync(source, { recursive: true, force: true });
  cpSync(info.Dir, source, { recursive: true });
  run('chmod', ['-R', 'u+w', source]);
  writeFileSync(path.join(source, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  applyPatches(source, ferretdbPatches);
  const sqliteDriver = patchSqliteDriver(source);
  mkdirSync(toolsBin, { recursive: true });
  // Built beside and renamed over the old binary: a FerretDB still running keeps its file, and a failed build leaves
  // the old one whole.
  const built = `${ferretdbBinary}.new`;
  run('go', ['build', '-trimpath', '-o', built, './cmd/ferretdb'], { cwd: source });
  chmodSync(built, 0o755);
  renameSync(built, ferretdbBinary);
  writeFileSync(recipeFile, ferretdbRecipe);
  rmSync(source, { recursive: true, force: true });
  rmSync(sqliteDriver, { recursive: true, force: true });
}

function compile() {
  step('compiling TypeScript');
  run('npm', ['run', '--silent', 'build']);
}

installDependencies();
buildFerretDB();
compile();
step('done. Start with: npm start');
