import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../core';
import { trainerCommand } from './trainer.command';

describe('nashub trainer', () => {
  it('--backend pytorch without a Python that imports torch fails with BACKEND_UNAVAILABLE before opening the store', async () => {
    const previous = { python: process.env.NASHUB_PYTHON, data: process.env.NASHUB_DATA };
    process.env.NASHUB_PYTHON = '/nonexistent/python3';
    // A folder that cannot be created: reaching the store would fail with another code.
    process.env.NASHUB_DATA = '/proc/nashub-never';
    try {
      const error = await trainerCommand()
        .parseAsync(['--backend', 'pytorch'], { from: 'user' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(NashubError);
      expect((error as NashubError).code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
      expect((error as NashubError).message).toMatch(
        /NASHUB_PYTHON=\/nonexistent\/python3 cannot run the PyTorch backend/,
      );
    } finally {
      for (const [name, value] of [
        ['NASHUB_PYTHON', previous.python],
        ['NASHUB_DATA', previous.data],
      ] as const)
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
  });
});
