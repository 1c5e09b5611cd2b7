import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Code that must run in a browser and in mobile clients: no node: built-ins.
const portableDirs = [
  'ceremony/codec/**',
  'ceremony/tlog/**',
  'ceremony/statement/**',
  'ceremony/bundle/**',
  'ceremony/verify/**',
  'ceremony/attest/**',
  'ceremony/transcript/**',
];

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'evidence/**', 'test/bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: portableDirs,
    // Certificate building for the emulated device runs on the host, not in clients.
    ignores: ['**/*.test.ts', 'ceremony/attest/emulated/build.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'portable code: no node built-ins' })),
          patterns: [
            {
              group: ['node:*'],
              message: 'portable code: no node: built-ins (it runs in browsers and clients)',
            },
            {
              group: ['**/hsm/**', '**/witness/**', '**/runner/**', '**/cli/**'],
              message: 'portable code must not depend on I/O layers',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
);
