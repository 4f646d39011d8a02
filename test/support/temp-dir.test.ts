import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runTempDirVariable, testTempDir } from './temp-dir';

describe('temporary directories of tests and benchmarks', () => {
  it("are made inside the jest run's own directory, which its teardown removes", () => {
    const runDir = process.env[runTempDirVariable];
    expect(runDir).toEqual(expect.any(String));
    const dir = testTempDir('pagewire-temp-dir-test');
    expect(path.dirname(dir)).toBe(runDir);
    expect(path.basename(dir)).toMatch(/^pagewire-temp-dir-test-/);
  });

  it('are removed, with what they hold, when a process outside jest exits', () => {
    const script = [
      "const { writeFileSync } = require('node:fs');",
      `const { testTempDir } = require(${JSON.stringify(path.join(__dirname, 'temp-dir.ts'))});`,
      "const dirs = [testTempDir('pagewire-benchmark-db'), testTempDir('pagewire-process')];",
      "for (const dir of dirs) writeFileSync(dir + '/data', 'kept until exit');",
      'console.log(JSON.stringify(dirs));',
    ].join('\n');
    const env = { ...process.env };
    delete env[runTempDirVariable];
    const output = execFileSync(process.execPath, ['--require', 'tsx/cjs', '--eval', script], { env });
    const dirs = JSON.parse(String(output)) as string[];
    expect(dirs).toHaveLength(2);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });
});
