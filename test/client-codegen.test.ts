import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEGEN_PATHS, generateClientTypes } from '../codegen';

const ROOT = join(__dirname, '..');

describe('the client SDK generated types', () => {
  it('are what `npm run codegen` writes from the committed schema.graphql and operations (run it when this fails)', async () => {
    const committed = readFileSync(join(ROOT, CODEGEN_PATHS.output), 'utf8');
    expect(await generateClientTypes({ root: ROOT })).toBe(committed);
  }, 60_000);

  it('fail against a schema the operations do not match (a stale file is caught, not regenerated quietly)', async () => {
    const schema = readFileSync(join(ROOT, CODEGEN_PATHS.schema), 'utf8');
    const renamed = schema.replace(/\barchitectures\(/, 'architecturesRenamed(');
    expect(renamed).not.toBe(schema);
    await expect(generateClientTypes({ root: ROOT, schemaSdl: renamed })).rejects.toThrow(/architectures/);
  }, 60_000);
});
