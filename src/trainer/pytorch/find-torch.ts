import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ErrorCode, NashubError } from '../../core';

/** A Python interpreter that imports torch, and what it offers. */
export interface TorchRuntime {
  /** The interpreter's path (or command name), as spawned. */
  python: string;
  /** `torch.__version__`. */
  torch: string;
  /** True when `torch.cuda.is_available()`. */
  cuda: boolean;
  /** The first CUDA device's name, when there is one. */
  cudaDevice: string | null;
  /** torch.get_num_threads() as torch starts: its own choice for this machine (physical cores). */
  threads: number;
}

/** Where Debian's python3-torch lives; tried after the PATH's python3s, since a pyenv or venv python3 may come first. */
const SYSTEM_PYTHON = '/usr/bin/python3';

const PROBE = [
  'import json, torch',
  'cuda = torch.cuda.is_available()',
  'print("@nashub " + json.dumps({"torch": torch.__version__, "cuda": cuda,',
  '  "cudaDevice": torch.cuda.get_device_name(0) if cuda else None, "threads": torch.get_num_threads()}))',
].join('\n');

/**
 * The Python interpreter the PyTorch backend runs: `NASHUB_PYTHON` when set (and then only it), else the first
 * `python3` on PATH that imports torch, then /usr/bin/python3. BACKEND_UNAVAILABLE, with each candidate's reason, when
 * none does.
 */
export function findTorchRuntime(env: NodeJS.ProcessEnv = process.env): TorchRuntime {
  const named = env.NASHUB_PYTHON?.trim();
  const candidates = named ? [named] : pathCandidates(env.PATH ?? '');
  const tried: { python: string; reason: string }[] = [];
  for (const python of candidates) {
    const probe = found.get(python) ?? probeTorch(python, env);
    if (typeof probe !== 'string') {
      found.set(python, probe);
      return probe;
    }
    tried.push({ python, reason: probe });
  }
  const list = tried.map((t) => `${t.python}: ${t.reason}`).join('; ');
  throw new NashubError(
    ErrorCode.BACKEND_UNAVAILABLE,
    named
      ? `NASHUB_PYTHON=${named} cannot run the PyTorch backend: ${list}`
      : `no python3 that imports torch (install Debian's python3-torch or set NASHUB_PYTHON): ${list || 'no python3 found'}`,
    { details: { backend: 'pytorch', tried } },
  );
}

/** Interpreters that imported torch in this process: importing torch takes seconds, and they do not change. */
const found = new Map<string, TorchRuntime>();

function pathCandidates(path: string): string[] {
  const found = path
    .split(delimiter)
    .filter((dir) => dir.length > 0)
    .map((dir) => join(dir, 'python3'))
    .filter((file) => existsSync(file));
  return [...new Set([...found, SYSTEM_PYTHON])];
}

/** The runtime, or why this interpreter cannot be used. */
function probeTorch(python: string, env: NodeJS.ProcessEnv): TorchRuntime | string {
  const run = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 120_000, env });
  if (run.error !== undefined) return run.error.message;
  if (run.status !== 0) {
    const last = run.stderr.trim().split('\n').pop();
    return `import torch failed (${run.signal ?? `exit ${run.status}`}${last ? `: ${last}` : ''})`;
  }
  const line = run.stdout.split('\n').find((l) => l.startsWith('@nashub '));
  if (line === undefined) return 'the torch probe printed no answer';
  const answer = JSON.parse(line.slice('@nashub '.length)) as Omit<TorchRuntime, 'python'>;
  return { python, ...answer };
}
