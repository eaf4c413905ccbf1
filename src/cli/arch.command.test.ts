import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../core';
import { archCommand, type ArchRecord } from './arch.command';

const BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';

async function run(args: string[]): Promise<ArchRecord[]> {
  let text = '';
  await archCommand({ stdout: { write: (chunk: string) => (text += chunk) } }).parseAsync(args, { from: 'user' });
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as ArchRecord);
}

describe('nashub arch', () => {
  it('prints the canonical record of one architecture', async () => {
    const [record] = await run(['--space', 'nb201', `  ${BEST} `]);
    expect(record).toMatchObject({ space: 'nb201', id: BEST, arch: BEST });
    expect(record.params).toBeCloseTo(1.288506, 6);
    expect(record.flops).toBeGreaterThan(0);
    expect(typeof record.isoClass).toBe('string');
  });

  it('prints the 24 neighbours as JSON lines', async () => {
    const records = await run(['--neighbours', BEST]);
    expect(records).toHaveLength(24);
    expect(new Set(records.map((record) => record.id)).size).toBe(24);
  });

  it('prints N reproducible samples for a seed', async () => {
    const first = await run(['--sample', '5', '--seed', '9']);
    expect(first).toHaveLength(5);
    expect(await run(['--sample', '5', '--seed', '9'])).toEqual(first);
  });

  it.each([
    [['|foo~0|'], ErrorCode.INVALID_ARCHITECTURE, { space: 'nb201', position: 1, reason: 'unknown-op' }],
    [['--space', 'nope', BEST], ErrorCode.UNKNOWN_SPACE, { space: 'nope' }],
    [['--sample', 'x'], ErrorCode.INVALID_ARGUMENT, { option: '--sample' }],
    [['--sample', '2', BEST], ErrorCode.INVALID_ARGUMENT, { option: '--sample' }],
    [[], ErrorCode.INVALID_ARGUMENT, { argument: 'arch' }],
  ])('rejects %j with a typed error', async (args, code, details) => {
    await expect(run(args)).rejects.toMatchObject({ code, details });
  });
});
