import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` that self time needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** One row of {@link summarizeCpuProfile}: a function (or a package) and its share of the sampled time. */
export interface SelfTimeEntry {
  name: string;
  percent: number;
}

/**
 * Self time of a `.cpuprofile` by function (`name url:line`) and by package (node_modules package, nashub folder,
 * node core, or native), largest first. Wall-clock sampling: on a busy machine, time a thread spends descheduled
 * inside a syscall shows up as that syscall's self time (writev, for instance).
 */
export function summarizeCpuProfile(
  path: string,
  top: number,
): { functions: SelfTimeEntry[]; packages: SelfTimeEntry[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const frame = frames.get(id)!;
    const url = frame.url.replace(/^file:\/\//, '');
    const where = url.includes('node_modules/') ? url.replace(/.*node_modules\//, '') : url.replace(/.*\/dist\//, '');
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
    byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + dt);
    total += dt;
  });
  const rank = (m: Map<string, number>): SelfTimeEntry[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => ({ name, percent: Math.round((1000 * t) / total) / 10 }));
  return { functions: rank(byFunction), packages: rank(byPackage) };
}

function packageOf(url: string): string {
  if (url === '') return '(native or VM)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const own = /\/dist\/([^/]+)\//.exec(url);
  if (own) return `nashub ${own[1]}/`;
  if (url.startsWith('node:')) return 'node core';
  return url.startsWith('wasm://') ? 'wasm' : url;
}

// `node dist/bench/api/summarize-cpu-profile.js FILE [TOP]` prints the top functions, then the top packages.
if (require.main === module) {
  const [path, top] = process.argv.slice(2);
  const { functions, packages } = summarizeCpuProfile(path, Number(top ?? 15));
  const lines = (entries: SelfTimeEntry[]): string =>
    entries.map((e) => `${e.percent.toFixed(1).padStart(5)}%  ${e.name}`).join('\n');
  process.stdout.write(`${lines(functions)}\n-- by package\n${lines(packages)}\n`);
}
