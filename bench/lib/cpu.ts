import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Fields after the command name (which may hold spaces): the process group is the 3rd, utime and stime the 12th and 13th. */
const fieldsOf = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

function fromStat(stat: string, withChildren = false): number {
  const fields = fieldsOf(stat);
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // The 14th and 15th: the time of children it has waited for (a build step that has exited).
  const children = withChildren ? Number(fields[13]) + Number(fields[14]) : 0;
  return ((Number(fields[11]) + Number(fields[12]) + children) / ticksPerSecond) * 1e6;
}

/** A process's CPU time so far (user + system, its threads included), in µs, from /proc; null off Linux. */
export function cpuMicros(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    return fromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Processes' /proc/<pid>/stat lines, read now; those that exit in between are skipped. */
function allStats(): string[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const stats: string[] = [];
  for (const pid of pids) {
    try {
      stats.push(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // Gone since the listing.
    }
  }
  return stats;
}

/**
 * CPU time so far (user + system, in µs) of every process in the process group `pgid`
 * (`npm start`: npm, its shell and the server), with that of children they have
 * already waited for; null off Linux. Unlike wall time, it hardly depends on what
 * else the machine runs.
 */
export function groupCpuMicros(pgid: number | undefined): number | null {
  if (!pgid || !existsSync('/proc/self/stat')) return null;
  let total = 0;
  for (const stat of allStats()) {
    if (fieldsOf(stat)[2] === String(pgid)) total += fromStat(stat, true);
  }
  return total;
}

/**
 * CPU time of every process named `command` on this machine (all of a local Postgres
 * server's backends and helpers), in µs; null off Linux. Processes that exit in
 * between are not counted.
 */
export function commandCpuMicros(command: string): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  let total = 0;
  for (const stat of allStats()) {
    if (stat.includes(`(${command})`)) total += fromStat(stat);
  }
  return total;
}
