import { Command } from 'commander';
import { ErrorCode, NashubError } from '../core';
import { openStore } from '../store';
import { importFile, resolveMapping } from '../store/import';
import { loadConfig } from './load-config';
import { loadMappingFile } from './load-mapping-file';
import { createProgressReporter } from './progress-reporter';

interface ImportFlags {
  space?: string;
  file?: string;
  format?: string;
  map?: string;
  dataset?: string;
  protocol?: string;
  seed?: string;
  replace?: boolean;
}

/** `nashub import`: a table with a column mapping, whole or not at all. */
export function importCommand(): Command {
  return new Command('import')
    .description('import a CSV / JSON-lines / Parquet table of runs into the store (one transaction)')
    .requiredOption('--space <space>', 'search space of the architectures (nb201, nb101, darts)')
    .requiredOption('--file <path>', 'the table')
    .requiredOption('--map <mapping>', 'mapping JSON file, or a preset name such as nb201/runs')
    .option('--format <format>', 'csv | jsonl | parquet (default: from the extension)')
    .option('--dataset <name>', 'dataset for rows whose mapping names none')
    .option('--protocol <name>', 'protocol for rows whose mapping names none')
    .option('--seed <n>', 'seed for rows whose mapping names none')
    .option('--replace', 'overwrite stored values that the file changes', false)
    .action(async (flags: ImportFlags) => {
      const seed = flags.seed === undefined ? undefined : Number(flags.seed);
      if (seed !== undefined && !Number.isInteger(seed)) {
        throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--seed must be an integer, got "${flags.seed}"`, { details: { option: '--seed' } });
      }
      const mapping = resolveMapping(loadMappingFile(flags.map!), { dataset: flags.dataset, protocol: flags.protocol, seed });
      const config = loadConfig(process.env);
      const store = await openStore({ config: config.store });
      const progress = createProgressReporter({ job: 'import', unit: 'bytes' });
      try {
        const result = await importFile({
          dataSource: store.dataSource,
          space: flags.space!,
          file: flags.file!,
          format: flags.format,
          mapping,
          replace: Boolean(flags.replace),
          onProgress: (p) => progress.update(p.done, p.total, { phase: p.phase, rows: p.rows }),
        });
        progress.stop();
        process.stdout.write(`${JSON.stringify(result)}\n`);
        if (result.status !== 'IMPORTED') process.stderr.write(`nashub: ${result.status === 'ALREADY_IMPORTED' ? 'this file was already imported' : 'every run in this file is already stored'}; nothing added\n`);
      } finally {
        progress.stop();
        await store.close();
      }
    });
}
