import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function fromStat(stat: string): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
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

/**
 * CPU time of every process named `command` on this machine (all of a local Postgres
 * server's backends and helpers), in µs; null off Linux. Processes that exit in
 * between are not counted.
 */
export function commandCpuMicros(command: string): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes(`(${command})`)) total += fromStat(stat);
    } catch {
      // Gone since the listing.
    }
  }
  return total;
}
