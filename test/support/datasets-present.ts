import { existsSync } from 'node:fs';

/**
 * True when the dataset folder exists. Where it is missing, tests that train on real images skip locally, but fail
 * under NASHUB_REQUIRE_DATASETS=1 (as .ci/run sets it, after installing Debian's dataset-fashion-mnist): CI never
 * passes by skipping the trainer.
 */
export function datasetsPresent(dir: string): boolean {
  if (existsSync(dir)) return true;
  if (process.env.NASHUB_REQUIRE_DATASETS === '1') {
    throw new Error(`NASHUB_REQUIRE_DATASETS=1 but ${dir} is missing: install Debian's dataset-fashion-mnist`);
  }
  return false;
}
