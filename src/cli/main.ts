#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { reportFatal } from './report-fatal';
import { serveCommand } from './serve.command';
import { migrateCommand } from './migrate.command';
import { keysCommand } from './keys.command';
import { packageVersion } from '../store/package-version';
import { archCommand } from './arch.command';
import { benchCommand } from './bench.command';
import { importCommand } from './import.command';
import { schemaCommand } from './schema.command';
import { publishCommand } from './publish.command';
import { mirrorCommand } from './mirror.command';
import { fitCommand } from './fit.command';
import { predictCommand } from './predict.command';
import { workerCommand } from './worker.command';
import { trainCommand } from './train.command';
import { trainerCommand } from './trainer.command';
import { searchCommand } from './search.command';

/** The `nashub` command: one sub-command per file, each exporting a factory. */
export function buildProgram(): Command {
  return (
    new Command('nashub')
      .description('NAS benchmark records, predictors and training over GraphQL')
      .version(packageVersion())
      // Root options only before the sub-command, so `publish --version 1.0` is the release's version, not nashub's.
      .enablePositionalOptions()
      .addCommand(serveCommand())
      .addCommand(migrateCommand())
      .addCommand(archCommand())
      .addCommand(importCommand())
      .addCommand(keysCommand())
      .addCommand(schemaCommand())
      .addCommand(publishCommand())
      .addCommand(mirrorCommand())
      .addCommand(fitCommand())
      .addCommand(predictCommand())
      .addCommand(workerCommand())
      .addCommand(trainCommand())
      .addCommand(trainerCommand())
      .addCommand(searchCommand())
      .addCommand(benchCommand())
  );
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => reportFatal(error));
}
