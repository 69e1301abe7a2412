/** Resident memory of processes, read from /proc (Linux, as on a Raspberry Pi); undefined elsewhere. */
import { readdirSync, readFileSync } from 'node:fs';

export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** Direct children of a process (by scanning /proc/<pid>/stat for the parent id). */
export function childPids(parent: number): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may itself hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(name));
    } catch {
      continue; // the process ended while we looked
    }
  }
  return out;
}

/** Every process below `root`, children first, then theirs. */
export function descendantPids(root: number): number[] {
  const below: number[] = [];
  for (let frontier = [root]; frontier.length;) {
    const next = frontier.flatMap(childPids);
    below.push(...next);
    frontier = next;
  }
  return below;
}
