import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? sourceFiles(path)
      : path.endsWith('.ts') && !path.endsWith('.test.ts')
        ? [path]
        : [];
  });
}

function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

/** package.json promises only what the build delivers, and lists only what the code uses (issue 13, package hygiene). */
describe('package.json', () => {
  it('bin, main, types and every export point at files the build writes', () => {
    const targets = [
      ...Object.values(pkg.bin as Record<string, string>),
      pkg.main,
      pkg.types,
      ...exportTargets(pkg.exports),
    ];
    expect(targets.filter((target) => !existsSync(join(ROOT, target)))).toEqual([]);
  });

  it("ships the PyTorch backend's Python module beside the code that runs it (tsc copies no .py files)", () => {
    expect(pkg.files).toContain('dist');
    const modules = readdirSync(join(ROOT, 'src/trainer/pytorch')).filter((name) => name.endsWith('.py'));
    expect(modules).toEqual(['torch_networks.py', 'torch_session.py']);
    for (const name of modules) {
      const built = join(ROOT, 'dist/trainer/pytorch', name);
      expect(existsSync(built), name).toBe(true);
      expect(readFileSync(built, 'utf8')).toBe(readFileSync(join(ROOT, 'src/trainer/pytorch', name), 'utf8'));
    }
  });

  it('the library entry loads and exposes core, the store, the server and search', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- what a CommonJS user of the package runs
    const library = require(ROOT);
    for (const name of ['getSpace', 'NashubError', 'openStore', 'startServer', 'createStrategy'])
      expect(typeof library[name], name).toBe('function');
    expect(library.getSpace('nb201').name).toBe('nb201');
  });

  it('every runtime dependency is imported by src/ (test-only ones are devDependencies)', () => {
    const code = sourceFiles(join(ROOT, 'src'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = Object.keys(pkg.dependencies as Record<string, string>).filter((name) => {
      const quoted = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      return !new RegExp(`(from |require\\(|import )'${quoted}(/[^']*)?'`).test(code);
    });
    expect(unused).toEqual([]);
  });
});
