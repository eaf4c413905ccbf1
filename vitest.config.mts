import swc from 'unplugin-swc';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Tests that do not depend on which database DATABASE_URL names: unit tests beside the code, and the few files in
 * test/ that check documents, the package, the built server's imports or PGlite itself. CI runs them once; the
 * `integration` project runs once per database.
 */
const DATABASE_FREE = [
  'src/**/*.test.ts',
  'test/bench-trainer-cli.test.ts',
  'test/client-codegen.test.ts',
  'test/client-package.test.ts',
  'test/docker-compose.test.ts',
  'test/docs-examples.test.ts',
  'test/package.test.ts',
  'test/pglite-serialisation.test.ts',
  'test/schema-file.test.ts',
  'test/server-loads-no-trainer.test.ts',
  'test/webgpu-backend.test.ts',
];

export default defineConfig({
  // swc emits the decorator metadata that type-graphql and TypeORM read; vite's esbuild does not.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    // One copy of graphql, or type-graphql and Apollo see "another realm".
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    testTimeout: 60_000,
    // Search runs' batches check the trial counts they keep between batches against the store's (run-batcher.ts).
    env: { NASHUB_VERIFY_RUN_COUNTS: '1' },
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: DATABASE_FREE } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: DATABASE_FREE } },
    ],
  },
});
