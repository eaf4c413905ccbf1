import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, NashubError } from '../../core';

/** Where datasets are looked for by default: Debian's `dataset-fashion-mnist` installs /usr/share/datasets/fashion-mnist. */
export const DEFAULT_DATASETS_DIR = '/usr/share/datasets';

/** Options of {@link findDatasetFile}. */
export interface FindDatasetFileOptions {
  /** `--datasets`: the dataset's own folder, or a folder holding it under one of `subdirs`. */
  datasetsDir: string;
  /** Sub-folders of `datasetsDir` to look in, in order, after `datasetsDir` itself. */
  subdirs: readonly string[];
  /** The file's name; each of `suffixes` is tried after it (e.g. `.gz`). */
  name: string;
  /** Alternative endings of the name, tried in order after the plain name. */
  suffixes?: readonly string[];
  /** The dataset, for the error. */
  dataset: string;
}

/** The path of a dataset file, looked up in `datasetsDir` and then its sub-folders; DATASET_MISSING when absent. */
export function findDatasetFile(options: FindDatasetFileOptions): string {
  const tried: string[] = [];
  for (const dir of [options.datasetsDir, ...options.subdirs.map((sub) => join(options.datasetsDir, sub))]) {
    for (const suffix of ['', ...(options.suffixes ?? [])]) {
      const path = join(dir, options.name + suffix);
      tried.push(path);
      if (existsSync(path)) return path;
    }
  }
  throw new NashubError(
    ErrorCode.DATASET_MISSING,
    `dataset ${options.dataset}: ${options.name} not found under ${options.datasetsDir} (set --datasets or NASHUB_DATASETS)`,
    { details: { dataset: options.dataset, datasetsDir: options.datasetsDir, file: options.name, tried } },
  );
}
