import { readFileSync, readdirSync } from 'node:fs';

/** Process ids of the PyTorch backend's Python processes that `parent` (default: this process) started. */
export function torchChildren(parent = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === parent && cmdline.includes('torch_session.py')) pids.push(Number(entry));
    } catch {
      // The process exited while being read.
    }
  }
  return pids;
}
