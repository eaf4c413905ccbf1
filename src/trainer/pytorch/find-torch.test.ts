import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { torchRuntimeOrSkip } from '../../../test/support/torch-runtime';
import { ErrorCode, NashubError } from '../../core';
import { findTorchRuntime } from './find-torch';

const runtime = torchRuntimeOrSkip();

function errorOf(run: () => unknown): NashubError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NashubError);
    return error as NashubError;
  }
  throw new Error('expected an error');
}

describe('findTorchRuntime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nashub-find-torch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A python3 without torch first on PATH, as pyenv's shim is on the development machine.
  const fake = join(dir, 'python3');
  writeFileSync(fake, '#!/bin/sh\necho "ModuleNotFoundError: No module named \'torch\'" >&2\nexit 1\n');
  chmodSync(fake, 0o755);

  it('NASHUB_PYTHON that does not exist or cannot import torch is BACKEND_UNAVAILABLE, with nothing else tried', () => {
    const missing = errorOf(() => findTorchRuntime({ NASHUB_PYTHON: join(dir, 'nope'), PATH: '' }));
    expect(missing.code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
    expect(missing.details.tried).toEqual([{ python: join(dir, 'nope'), reason: expect.stringMatching(/ENOENT/) }]);
    const broken = errorOf(() => findTorchRuntime({ NASHUB_PYTHON: fake, PATH: '' }));
    expect(broken.code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
    expect(broken.message).toMatch(/No module named 'torch'/);
  });

  it.skipIf(runtime?.python !== '/usr/bin/python3')(
    "skips a python3 without torch on PATH for /usr/bin/python3 (Debian's python3-torch)",
    () => {
      const found = findTorchRuntime({ PATH: dir });
      expect(found).toMatchObject({ python: '/usr/bin/python3', torch: runtime!.torch, cuda: runtime!.cuda });
    },
  );
});
