import { join } from 'node:path';
import { Command } from 'commander';
import { openStore } from '../store';
import { publishRelease } from '../store/release';
import { loadConfig } from './load-config';
import { packageVersion } from '../store/package-version';

interface PublishFlags {
  name: string;
  version: string;
  out?: string;
  space?: string;
  dataset?: string;
  protocol?: string;
}

/** `nashub publish`: an immutable, checksummed release (Parquet + CSV + manifest.json) of the store or part of it. */
export function publishCommand(): Command {
  return new Command('publish')
    .description('write a versioned release folder: records and curves as Parquet and CSV, manifest.json with sha256s')
    .requiredOption('--name <name>', 'release name, e.g. nb201-cifar10')
    .requiredOption('--version <version>', 'release version, e.g. 1.0.0 (a name and version are published once)')
    .option(
      '--out <dir>',
      'folder to create (absent or empty); default: NASHUB_RELEASES/<name>/<version>, served at /releases',
    )
    .option('--space <space>', 'only this search space')
    .option('--dataset <name>', 'only this dataset')
    .option('--protocol <name>', 'only this protocol')
    .action(async (flags: PublishFlags) => {
      const config = loadConfig(process.env);
      const store = await openStore({ config: config.store });
      try {
        const { status, dir, manifest } = await publishRelease({
          dataSource: store.dataSource,
          name: flags.name,
          version: flags.version,
          outDir: flags.out ?? join(config.releasesDir, flags.name, flags.version),
          filter: { space: flags.space, dataset: flags.dataset, protocol: flags.protocol },
          nashubVersion: packageVersion(),
          predecessorDir: (version) => join(config.releasesDir, flags.name, version),
        });
        process.stdout.write(
          `${JSON.stringify({ status, dir, name: manifest.name, version: manifest.version, contentSha256: manifest.contentSha256, files: manifest.files })}\n`,
        );
        if (status === 'ALREADY_PUBLISHED')
          process.stderr.write(
            `nashub: release ${manifest.name} ${manifest.version} was already published with this content; wrote it again\n`,
          );
      } finally {
        await store.close();
      }
    });
}
