import type { Command } from 'commander';
import { ErrorCode, NashubError } from '../core';
import { parseIntegerFlag, positiveNumber } from './parse-integer-flag';

/** `--timeout` and `--retries` of the commands that download releases. */
export interface DownloadFlags {
  timeout?: string;
  retries?: string;
}

/** Adds `--timeout` and `--retries` to a command. */
export function addDownloadFlags(command: Command): Command {
  return command
    .option('--timeout <seconds>', 'give up on a server that sends nothing for this long (default 30)')
    .option('--retries <n>', 'resumes of a file after the connection is cut mid-file, in this run (default 3)');
}

/** The flags as numbers: the idle timeout in milliseconds and the resume count. */
export function downloadSettings(flags: DownloadFlags): { timeoutMs: number; retries: number } {
  const timeoutMs = 1000 * (flags.timeout === undefined ? 30 : positiveNumber('--timeout', flags.timeout, false));
  const retries = parseIntegerFlag('--retries', flags.retries) ?? 3;
  if (retries < 0)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--retries must be 0 or more, got ${retries}`, {
      details: { option: '--retries' },
    });
  return { timeoutMs, retries };
}
