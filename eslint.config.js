// Lint rules: typescript-eslint's recommended set, plus the dependency direction of
// ../shared/STYLE.md: the pure domain imports no I/O library and no node I/O module, and
// production code imports no devDependency and nothing from test/ or bench/.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// src/ and workers/ ship in the image, built with `npm ci --omit=dev` from what .dockerignore admits
// (test/unit/production-imports.test.ts checks bin/ and scripts/ too, and files read beside the code).
const { devDependencies } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const productionOnly = [
  {
    group: Object.keys(devDependencies).flatMap((name) => [name, `${name}/*`]),
    message: 'a devDependency: src/ and workers/ run in the image, which has none (npm ci --omit=dev).',
  },
  {
    regex: '^(\\.\\./)+(test|bench)(/|$)',
    message: 'test support: src/ and workers/ run in the image, which holds no test/ or bench/.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: productionOnly }] },
  },
  {
    // replaces the rule above for the domain, so it repeats productionOnly
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'ioredis',
                'bullmq',
                'cheerio',
                'node:*',
                'fs',
                'http',
                'https',
                'net',
                'fastify',
                '../store/*',
                '../queue/*',
                '../ingest/*',
                '../pipeline/*',
              ],
              message: 'src/domain is pure: no I/O, no queue, no storage (see STYLE.md principle 12).',
            },
            ...productionOnly,
          ],
        },
      ],
    },
  },
);
