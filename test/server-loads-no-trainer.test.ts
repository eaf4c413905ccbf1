import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

/**
 * The server never trains a network in its request path (docs/architecture.md): lint's zones stop server/ importing
 * trainer/ directly, and this checks the whole import graph as Node loads it, through every barrel, from the built
 * server and from the `serve` command.
 */
describe('the API server loads no trainer code', () => {
  for (const entry of ['dist/server/index.js', 'dist/cli/serve.command.js']) {
    it(`${entry} loads nothing from dist/trainer/ (networks, sessions, backends)`, () => {
      const script = `require(${JSON.stringify(join(ROOT, entry))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
      const loaded: string[] = JSON.parse(
        execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }),
      );
      expect(loaded.some((file) => file.includes(join('dist', 'server')))).toBe(true);
      expect(loaded.filter((file) => /dist[\\/]trainer[\\/]/.test(file))).toEqual([]);
    });
  }
});
