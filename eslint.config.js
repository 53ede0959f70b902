// Lint rules: typescript-eslint's recommended set, plus the dependency direction of
// ../shared/STYLE.md: the pure domain imports no I/O library and no node I/O module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
          ],
        },
      ],
    },
  },
);
