import { Command } from 'commander';
import { ErrorCode, NashubError } from '../core';
import { resolve } from 'node:path';
import { openStore, type StoreConfig } from '../store';
import { readDataDirLock } from '../store/pglite/data-dir-lock';
import { requestLocalServer } from './request-local-server';
import { importFile, resolveMapping, type ImportProgress } from '../store/import';
import { importReleaseFromUrl, isReleaseUrl } from '../releases';
import { addDownloadFlags, downloadSettings, type DownloadFlags } from './download-flags';
import { throughLocalServer } from './through-local-server';
import { importRelease } from '../store/release';
import { loadConfig } from './load-config';
import { loadMappingFile } from '../store/import/load-mapping-file';
import { createProgressReporter } from './progress-reporter';

interface ImportFlags extends DownloadFlags {
  release?: string;
  space?: string;
  file?: string;
  format?: string;
  map?: string;
  dataset?: string;
  protocol?: string;
  seed?: string;
  replace?: boolean;
}

const TABLE_OPTIONS = ['space', 'file', 'map', 'format', 'dataset', 'protocol', 'seed'] as const;

/** `nashub import`: a table with a column mapping, or a release folder, whole or not at all. */
export function importCommand(): Command {
  const command = new Command('import')
    .description(
      'import a CSV / JSON-lines / Parquet table of runs, or a release folder, into the store (one transaction)',
    )
    .option(
      '--release <dir|url>',
      'a folder written by nashub publish, or its URL on a nashub server (http(s)://host/releases/NAME/VERSION/): verified against its manifest, then imported (no --space/--file/--map)',
    )
    .option('--space <space>', 'search space of the architectures (nb201, nb101, darts)')
    .option('--file <path>', 'the table')
    .option('--map <mapping>', 'mapping JSON file, or a preset name such as nb201/runs')
    .option('--format <format>', 'csv | jsonl | parquet (default: from the extension)')
    .option('--dataset <name>', 'dataset for rows whose mapping names none')
    .option('--protocol <name>', 'protocol for rows whose mapping names none')
    .option('--seed <n>', 'seed for rows whose mapping names none')
    .option('--replace', 'overwrite stored values that the file changes', false);
  return addDownloadFlags(command).action(async (flags: ImportFlags) => {
    if (flags.release !== undefined) return importReleaseFolder(flags);
    for (const option of ['space', 'file', 'map'] as const) {
      if (!flags[option])
        throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--${option} is required (or --release DIR)`, {
          details: { option: `--${option}` },
        });
    }
    const seed = flags.seed === undefined ? undefined : Number(flags.seed);
    if (seed !== undefined && !Number.isInteger(seed)) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--seed must be an integer, got "${flags.seed}"`, {
        details: { option: '--seed' },
      });
    }
    const mapping = resolveMapping(loadMappingFile(flags.map!), {
      dataset: flags.dataset,
      protocol: flags.protocol,
      seed,
    });
    const config = loadConfig(process.env);
    const viaServer = await importThroughServer(config.store, {
      space: flags.space!,
      file: flags.file!,
      format: flags.format,
      mapping,
      replace: Boolean(flags.replace),
    });
    if (viaServer) return printImportResult(viaServer);
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
      printImportResult(result);
    } finally {
      progress.stop();
      await store.close();
    }
  });
}

function printImportResult(result: { status: string }): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.status !== 'IMPORTED')
    process.stderr.write(
      `nashub: ${result.status === 'ALREADY_IMPORTED' ? 'this file was already imported' : 'every run in this file is already stored'}; nothing added\n`,
    );
}

/**
 * Imports through the `nashub serve` that holds this machine's PGlite folder (a second process must not open it), or
 * returns null when no server holds it. The server reads the file itself: same machine, absolute path.
 */
async function importThroughServer(
  store: StoreConfig,
  request: { space: string; file: string; format?: string; mapping: unknown; replace: boolean },
): Promise<{ status: string } | null> {
  const server = store.kind === 'pglite' ? readDataDirLock(store.dataDir)?.server : undefined;
  if (!server) return null;
  const data = await requestLocalServer<{ importFile: { status: string } }>(
    server,
    'mutation($space: String!, $file: String!, $mapping: JSONObject!, $format: String, $replace: Boolean!) { importFile(space: $space, file: $file, mapping: $mapping, format: $format, replace: $replace) }',
    { ...request, file: resolve(request.file), format: request.format ?? null },
  );
  if (!data) return null;
  process.stderr.write(
    `nashub: imported through the server at ${server.url}, which holds ${store.kind === 'pglite' ? store.dataDir : ''}\n`,
  );
  return data.importFile;
}

async function importReleaseFolder(flags: ImportFlags): Promise<void> {
  const extra = TABLE_OPTIONS.find((option) => flags[option] !== undefined);
  const url = isReleaseUrl(flags.release!);
  if (extra)
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `--${extra} does not go with --release: a release says its own spaces and mappings`,
      { details: { option: `--${extra}` } },
    );
  if (!url && (flags.timeout !== undefined || flags.retries !== undefined))
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--timeout and --retries go with --release URL only', {
      details: { option: flags.timeout !== undefined ? '--timeout' : '--retries' },
    });
  const settings = downloadSettings(flags);
  const config = loadConfig(process.env);
  if (url) {
    const viaServer = await throughLocalServer<{ importReleaseFromUrl: { status: string } }>(
      config.store,
      'mutation($url: String!, $replace: Boolean!, $timeoutSeconds: Float!, $retries: Int!) { importReleaseFromUrl(url: $url, replace: $replace, timeoutSeconds: $timeoutSeconds, retries: $retries) }',
      {
        url: flags.release!,
        replace: Boolean(flags.replace),
        timeoutSeconds: settings.timeoutMs / 1000,
        retries: settings.retries,
      },
    );
    if (viaServer) return printImportResult(viaServer.importReleaseFromUrl);
  }
  const store = await openStore({ config: config.store });
  const progress = createProgressReporter({ job: 'import', unit: 'rows' });
  const download = createProgressReporter({ job: 'download', unit: 'bytes', detail: '{file}' });
  try {
    const onProgress = (p: ImportProgress & { file: string; space: string }) =>
      progress.update(p.done, p.total, { phase: p.phase, rows: p.rows, file: p.file, space: p.space });
    const result = url
      ? await importReleaseFromUrl({
          dataSource: store.dataSource,
          url: flags.release!,
          releasesDir: config.releasesDir,
          replace: Boolean(flags.replace),
          ...settings,
          onDownload: percentSteps((p) => download.update(p.done, p.total, { file: p.file })),
          onImport: (p) => {
            download.stop();
            onProgress(p);
          },
        })
      : await importRelease({
          dataSource: store.dataSource,
          dir: flags.release!,
          replace: Boolean(flags.replace),
          onProgress,
        });
    download.stop();
    progress.stop();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.status !== 'IMPORTED')
      process.stderr.write(
        `nashub: ${result.status === 'ALREADY_IMPORTED' ? 'this release was already imported' : 'every run in this release is already stored'}; nothing added\n`,
      );
  } finally {
    download.stop();
    progress.stop();
    await store.close();
  }
}

/** Passes on a download's progress once per percent (a chunk is 64 KiB: a line each would flood a log). */
function percentSteps<T extends { done: number; total: number }>(report: (p: T) => void): (p: T) => void {
  let last = -1;
  return (p) => {
    const percent = Math.floor((100 * p.done) / Math.max(1, p.total));
    if (percent === last) return;
    last = percent;
    report(p);
  };
}
