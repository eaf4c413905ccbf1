import { Command } from 'commander';
import { openStore } from '../store';
import { mirrorReleases } from '../releases';
import { addDownloadFlags, downloadSettings, type DownloadFlags } from './download-flags';
import { loadConfig } from './load-config';
import { throughLocalServer } from './through-local-server';

/** What `nashub mirror` prints (and the mirrorReleases mutation returns). */
interface MirrorOutput {
  imported: Array<{ name: string; version: string; status: string }>;
  present: Array<{ name: string; version: string }>;
}

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
    const viaServer = await throughLocalServer<{ mirrorReleases: MirrorOutput }>(
      config.store,
      'mutation($from: String!, $timeoutSeconds: Float!, $retries: Int!) { mirrorReleases(from: $from, timeoutSeconds: $timeoutSeconds, retries: $retries) }',
      { from: flags.from, timeoutSeconds: settings.timeoutMs / 1000, retries: settings.retries },
    );
    if (viaServer) return printMirrorResult(viaServer.mirrorReleases, flags.from);
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
      printMirrorResult({ imported, present: result.present }, flags.from);
    } finally {
      await store.close();
    }
  });
}

function printMirrorResult(result: MirrorOutput, from: string): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.imported.length === 0)
    process.stderr.write(`nashub: this store already has every release ${from} serves; nothing added\n`);
}
