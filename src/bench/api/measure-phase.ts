import type { WindowEdge } from './closed-loop';
import { profilePhase } from './profile-phase';

/** Options of {@link measurePhase}. */
export interface MeasurePhaseOptions {
  /** Profile file name, without extension. */
  name: string;
  /** Folder for a V8 CPU profile of this thread; none when undefined. */
  cpuProfileDir?: string;
}

/**
 * Runs `work`, which reports its measured window's edges, and adds the CPU milliseconds this process spent inside that
 * window (user + system, all threads): warmup and JIT compilation stay out of it.
 */
export async function measurePhase<T extends object>(
  options: MeasurePhaseOptions,
  work: (onWindow: (edge: WindowEdge) => void) => Promise<T>,
): Promise<T & { cpuMs: number }> {
  let start: NodeJS.CpuUsage | undefined;
  let cpuMs = NaN;
  const onWindow = (edge: WindowEdge): void => {
    if (edge === 'start') start = process.cpuUsage();
    else if (start) {
      const cpu = process.cpuUsage(start);
      cpuMs = (cpu.user + cpu.system) / 1000;
    }
  };
  const result = await profilePhase(options.cpuProfileDir, options.name, () => work(onWindow));
  return { ...result, cpuMs };
}
