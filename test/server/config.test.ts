import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config';
import { testTempDir } from '../support/temp-dir';

const tempDir = () => testTempDir('pagewire-config');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('runs with no configuration at all outside production, generating and keeping development secrets', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.generatedSecrets).toEqual(
      expect.arrayContaining(['SESSION_SECRET', 'TOKEN_ENCRYPTION_KEYS', 'FB_APP_SECRET', 'FB_VERIFY_TOKEN']),
    );
    expect(first.PORT).toBe(3000);
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.SESSION_SECRET).toBe(first.SESSION_SECRET);
    expect(second.TOKEN_ENCRYPTION_KEYS[0]?.key.equals(first.TOKEN_ENCRYPTION_KEYS[0]!.key)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8'))).toHaveProperty(
      'SESSION_SECRET',
    );
  });

  it('gives no secret a default in production and names every missing variable in one message', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    const named = problems.map((problem) => problem.split(':')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'SESSION_SECRET',
        'TOKEN_ENCRYPTION_KEYS',
        'FB_APP_ID',
        'FB_APP_SECRET',
        'FB_VERIFY_TOKEN',
      ]),
    );
  });

  it('refuses the simulator sandbox in production', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      SANDBOX: '1',
      SESSION_SECRET: 'x'.repeat(32),
      TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`,
      FB_APP_ID: '100000000000001',
      FB_APP_SECRET: 'y'.repeat(32),
      FB_VERIFY_TOKEN: 'z'.repeat(32),
    });
    expect(problems).toEqual(['SANDBOX: the simulator sandbox never runs in production']);
  });

  it('says what a malformed variable expects', () => {
    const problems = problemsOf({
      DATA_DIR: tempDir(),
      PORT: 'eighty',
      MONGODB_URI: 'postgres://nope',
      TOKEN_ENCRYPTION_KEYS: 'k1:tooshort',
      FB_API_VERSION: '25',
    });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/MONGODB_URI: expects a mongodb:\/\//);
    expect(problems.join('\n')).toMatch(/TOKEN_ENCRYPTION_KEYS: expects "id:base64-of-32-bytes/);
    expect(problems.join('\n')).toMatch(/FB_API_VERSION: expects a version such as v25.0/);
  });
});
