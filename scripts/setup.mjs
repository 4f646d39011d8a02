#!/usr/bin/env node
// npm run setup: installs dependencies, builds the embedded database when no other is available, compiles.
// Idempotent and fast when already done: each step checks before it works.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const FERRETDB_VERSION = 'v1.24.2';
const toolsBin = path.join(root, '.tools', 'bin');
const ferretdbBinary = path.join(toolsBin, 'ferretdb');

const run = (command, args, options = {}) =>
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
const onPath = (binary) => spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
const step = (message) => console.log(`\n[setup] ${message}`);

function installDependencies() {
  const lock = readFileSync(path.join(root, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
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
 * module version, add version.txt, apply the patches below, and `go build` it into .tools/bin.
 */
const ferretdbPatches = [
  {
    // The SQLite backend looks documents up by `_ferretdb_sjson->'$._id'`, but its unique _id index is on
    // `_ferretdb_sjson->"_id"`: the same value, another expression, so SQLite never uses the index and every lookup by
    // _id scans the whole collection (50 ms per updateOne at 20,000 documents). Same expression as the index.
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
    count: 1,
  },
  {
    // The _id lookup is pushed down only when _id is the filter's one key, so `{_id, attempt}` (a conditional update)
    // scans too. Every caller filters the rows again with the whole filter, so narrowing by _id first is safe.
    file: 'internal/backends/sqlite/collection.go',
    from: 'if params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")',
    to: 'if params.Filter.Has("_id") {\n\t\tv, _ := params.Filter.Get("_id")',
    count: 2,
  },
];
const ferretdbRecipe = `${FERRETDB_VERSION}+${createHash('sha256').update(JSON.stringify(ferretdbPatches)).digest('hex').slice(0, 12)}`;
const recipeFile = path.join(toolsBin, 'ferretdb.recipe');

function patchFerretDB(source) {
  for (const patch of ferretdbPatches) {
    const file = path.join(source, patch.file);
    const text = readFileSync(file, 'utf8');
    const found = text.split(patch.from).length - 1;
    if (found !== patch.count) {
      throw new Error(`FerretDB patch for ${patch.file}: expected ${patch.count} match(es), found ${found}`);
    }
    writeFileSync(file, text.split(patch.from).join(patch.to));
  }
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
  patchFerretDB(source);
  mkdirSync(toolsBin, { recursive: true });
  run('go', ['build', '-trimpath', '-o', ferretdbBinary, './cmd/ferretdb'], { cwd: source });
  chmodSync(ferretdbBinary, 0o755);
  writeFileSync(recipeFile, ferretdbRecipe);
  rmSync(source, { recursive: true, force: true });
}

function compile() {
  step('compiling TypeScript');
  run('npm', ['run', '--silent', 'build']);
}

installDependencies();
buildFerretDB();
compile();
step('done. Start with: npm start');
