import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', 'src');

/** Which rooms of the house each room may import (DESIGN.md: data flows cli → server/trainer → predictor/store → core). */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  migrations: ['migrations'],
  store: ['store', 'core', 'migrations'],
  predictor: ['predictor', 'core'],
  trainer: ['trainer', 'core', 'predictor'],
  predictors: ['predictors', 'core', 'store', 'predictor'],
  training: ['training', 'core', 'store', 'predictor', 'predictors', 'trainer'],
  search: ['search', 'core', 'store', 'predictor', 'predictors', 'training'],
  server: ['server', 'core', 'store', 'predictor', 'predictors', 'training'],
  bench: ['bench', 'core', 'store', 'predictor', 'predictors', 'server', 'trainer', 'training', 'search'],
  cli: ['cli', 'core', 'store', 'predictor', 'predictors', 'server', 'trainer', 'training', 'bench', 'migrations', 'search'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
}

describe('the house (DESIGN.md) keeps its doors', () => {
  const files = sourceFiles(SRC);

  it('imports flow one way between rooms', () => {
    const violations: string[] = [];
    for (const file of files) {
      const room = relative(SRC, file).split('/')[0];
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = relative(SRC, resolve(dirname(file), spec)).split('/')[0];
        if (!(ALLOWED[room] ?? []).includes(target)) violations.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('core is pure: no database, tfjs, file system, network or environment', () => {
    const impure = /^(typeorm|pg|@electric-sql\/pglite|@tensorflow\/.*|node:(fs|fs\/promises|net|http|https|child_process))$/;
    const violations: string[] = [];
    for (const file of files.filter((f) => relative(SRC, f).startsWith('core/'))) {
      for (const spec of imports(file)) if (impure.test(spec)) violations.push(`${relative(SRC, file)} imports ${spec}`);
      if (/process\.env/.test(readFileSync(file, 'utf8'))) violations.push(`${relative(SRC, file)} reads process.env`);
    }
    expect(violations).toEqual([]);
  });
});
