// Lint says what the house says (docs/architecture.md): which room may import which, core stays pure, SQL stays in
// the store, no import cycles. Formatting is Prettier's job (eslint-config-prettier turns off the rules it owns).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import prettier from 'eslint-config-prettier';

/** Each room and the rooms it may import besides itself (use cases call mechanisms; nothing imports a door). */
const ROOMS = {
  core: [],
  migrations: [],
  store: ['core', 'migrations'],
  predictor: ['core'],
  trainer: ['core', 'predictor'],
  catalog: ['core', 'store'],
  predictors: ['core', 'store', 'predictor', 'catalog'],
  training: ['core', 'store', 'predictor', 'predictors', 'trainer', 'catalog'],
  search: ['core', 'store', 'predictor', 'predictors', 'training', 'catalog'],
  releases: ['core', 'store'],
  server: ['core', 'store', 'predictor', 'predictors', 'training', 'catalog', 'search', 'releases'],
  // The SDK (nashub/client) speaks GraphQL only: it runs on a worker machine that has neither store nor server.
  client: [],
};

const zones = Object.entries(ROOMS).map(([room, allowed]) => ({
  target: `./src/${room}`,
  from: './src',
  except: [`./${room}`, ...allowed.map((r) => `./${r}`)],
  message: `${room}/ may import only ${[room, ...allowed].join(', ')} (docs/architecture.md).`,
}));

/** Modules that do I/O or hold state outside the process: core is plain data and pure functions. */
const IMPURE = [
  'typeorm',
  'pg',
  '@electric-sql/pglite',
  '@tensorflow/*',
  'node:fs',
  'node:fs/promises',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'fs',
  'child_process',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { typescript: { project: './tsconfig.json' } } },
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: IMPURE, message: 'core/ is pure: no database, tfjs, file system, network or processes.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'core/ reads no environment; config comes in as arguments.' },
      ],
    },
  },
  {
    // SQL lives in the store (and the migrations that shape it); benchmarks may time raw SQL against the API.
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', 'src/migrations/**', 'src/bench/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message: 'SQL belongs in src/store/: call a store function.',
        },
        {
          selector: "CallExpression[callee.property.name='createQueryBuilder']",
          message: 'SQL belongs in src/store/: call a store function.',
        },
      ],
    },
  },
  {
    // CommonJS scripts (a test's --require preload) run as plain Node modules.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read GraphQL answers as loose JSON and assert on their shape.
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
