#!/usr/bin/env node
import { benchTrainerCommand } from './bench-trainer.command';
import { reportFatal } from './report-fatal';

// `nashub bench trainer` alone, without the API, the store or their dependencies: the program the GPU kit bundles into
// one file (bench/gpu/pack.sh), since the GPU machine has no npm registry. Only ever run as a program (a bundle's
// module wrapper would fail a `require.main === module` check). Exits when done: Dawn keeps the event loop alive.
benchTrainerCommand()
  .parseAsync(process.argv)
  .then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      reportFatal(error);
      process.exit(process.exitCode ?? 1);
    },
  );
