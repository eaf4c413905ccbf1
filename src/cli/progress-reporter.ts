import { SingleBar } from 'cli-progress';

/** Progress of a long job: a bar on a TTY, JSON lines on stderr otherwise. */
export interface ProgressReporter {
  update(done: number, total: number, fields: Record<string, unknown>): void;
  stop(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Name of the job in log lines (`import`, `fit`, ...). */
  job: string;
  /** Unit of done/total, for the bar (`bytes`, `rows`). */
  unit: string;
  /** Force a mode; default: a bar when stderr is a TTY. */
  tty?: boolean;
  /** The bar's text after the counts, with `{field}` placeholders for update's fields (default `{phase} {rows} rows`). */
  detail?: string;
}

/** Builds the reporter for the current terminal. */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  if (options.tty ?? process.stderr.isTTY) {
    const bar = new SingleBar({
      format: `${options.job} [{bar}] {percentage}% | {value}/{total} ${options.unit} | ${options.detail ?? '{phase} {rows} rows'}`,
      stream: process.stderr,
    });
    let started = false;
    return {
      update(done, total, fields) {
        if (!started) bar.start(total, done, fields);
        else bar.update(done, fields);
        started = true;
      },
      stop: () => bar.stop(),
    };
  }
  return {
    update(done, total, fields) {
      process.stderr.write(
        `${JSON.stringify({ time: new Date().toISOString(), job: options.job, event: 'progress', done, total, unit: options.unit, ...fields })}\n`,
      );
    },
    stop() {},
  };
}
