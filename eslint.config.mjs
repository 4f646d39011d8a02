import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * "Who may import whom" from CONTRIBUTING.md, enforced: each entry forbids a folder from importing the listed ones.
 * The file sets do not overlap, because a later flat-config entry would replace an earlier one's rule.
 */
const importBoundaries = [
  {
    files: ['models/**/*.ts'],
    forbidden: ['server', 'webhooks', 'bots', 'simulator'],
    why: 'models/ imports nothing of ours',
  },
  {
    files: ['server/policy/**/*.ts'],
    forbidden: ['server/platform', 'server/facebook', 'models', 'webhooks', 'bots', 'simulator'],
    why: 'policy is pure: it imports only types',
    allowTypeImports: true,
  },
  {
    files: ['server/facebook/**/*.ts'],
    forbidden: [
      'server/accounts',
      'server/pages',
      'server/livechat',
      'server/broadcasts',
      'webhooks',
      'bots',
      'models',
      'simulator',
    ],
    why: 'the Graph client knows nothing of features',
  },
  {
    files: ['webhooks/**/*.ts'],
    forbidden: [
      'bots',
      'server/livechat',
      'server/broadcasts',
      'server/accounts',
      'server/pages',
      'simulator',
    ],
    why: 'webhooks hand events to registered handlers',
  },
  {
    files: ['server/**/*.ts', 'bots/**/*.ts'],
    ignores: ['server/policy/**', 'server/facebook/**'],
    forbidden: ['simulator'],
    why: 'the product never imports the simulator',
  },
  {
    files: ['simulator/**/*.ts'],
    forbidden: ['server', 'webhooks', 'bots', 'models'],
    why: 'the simulator shares no code with the product',
  },
];

function boundaryRule({ files, ignores = [], forbidden, why, allowTypeImports = false }) {
  const patterns = forbidden.map((folder) => ({
    group: [`**/${folder}`, `**/${folder}/**`],
    message: why,
    allowTypeImports,
  }));
  return { files, ignores, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', '.tools', 'coverage', 'client/dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...importBoundaries.map(boundaryRule),
  { files: ['scripts/**', 'simulator/main.ts', '**/*.mjs', '**/*.js'], rules: { 'no-console': 'off' } },
  {
    files: ['client/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    // A Playwright fixture names what it depends on in its first parameter, which is `{}` when that is nothing.
    files: ['test/browser/**/*.ts'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  prettier,
);
