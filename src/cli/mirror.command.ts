import { Command } from 'commander';
import { openStore } from '../store';
import { mirrorReleases } from '../releases';
import { addDownloadFlags, downloadSettings, type DownloadFlags } from './download-flags';
import { loadConfig } from './load-config';

interface MirrorFlags extends DownloadFlags {
  from: string;
}

/** `nashub mirror --from URL`: imports every release another nashub serves that this store lacks. */
export function mirrorCommand(): Command {
  const command = new Command('mirror')
    .description(
      'import every release another nashub server lists at /releases that this store lacks (each verified first); running it again adds nothing',
    )
    .requiredOption('--from <url>', 'the other server, e.g. http://host:4000');
  return addDownloadFlags(command).action(async (flags: MirrorFlags) => {
    const settings = downloadSettings(flags);
    const config = loadConfig(process.env);
    const store = await openStore({ config: config.store });
    try {
      const result = await mirrorReleases({
        dataSource: store.dataSource,
        from: flags.from,
        releasesDir: config.releasesDir,
        ...settings,
        onRelease: (r) => process.stderr.write(`nashub: importing ${r.name} ${r.version} from ${r.url}\n`),
      });
      const imported = result.imported.map((r) => ({ name: r.name, version: r.version, status: r.status }));
      process.stdout.write(`${JSON.stringify({ imported, present: result.present })}\n`);
      if (imported.length === 0)
        process.stderr.write(`nashub: this store already has every release ${flags.from} serves; nothing added\n`);
    } finally {
      await store.close();
    }
  });
}
