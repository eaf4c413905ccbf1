import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

/** `nashub/client` as a user of the built package loads it (package.json `exports`, after `npm run build`). */
describe('the nashub/client entry of the package', () => {
  it('resolves through package.json exports to the built client and exposes the SDK', () => {
    const requireFromPackage = createRequire(join(ROOT, 'package.json'));
    expect(requireFromPackage.resolve('nashub/client')).toBe(join(ROOT, 'dist', 'client', 'index.js'));
    const client = requireFromPackage('nashub/client');
    for (const name of ['NashubClient', 'NashubClientError', 'isNashubClientError'])
      expect(typeof client[name], name).toBe('function');
    expect(String(client.RecordsDocument)).toMatch(/query Records\(/);
    const instance = new client.NashubClient({ url: 'http://127.0.0.1:1/graphql' });
    expect(instance.url).toBe('http://127.0.0.1:1/graphql');
  });

  it('loads neither the store, the server nor their drivers (it runs where they are not)', () => {
    const script = `require('nashub/client');
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const loaded: string[] = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }),
    );
    const ours = loaded.filter((path) => path.startsWith(join(ROOT, 'dist')));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((path) => !path.startsWith(join(ROOT, 'dist', 'client')))).toEqual([]);
    const heavy = /node_modules\/(typeorm|pg|@electric-sql|@apollo|type-graphql|@tensorflow|graphql)\//;
    expect(loaded.filter((path) => heavy.test(path))).toEqual([]);
  });
});
