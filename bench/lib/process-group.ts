import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../../dev/child-process.ts';
import { groupCpuMicros } from './cpu.ts';

const STOP_GRACE_MS = 5_000;

/** A command started in a session of its own, so it and everything it starts end together. */
export interface ProcessGroup {
  child: ChildProcess;
  /** When it was spawned, on `performance.now()`'s clock. */
  startedAt: number;
  output(): string;
  /** TERM to the whole group, KILL after a grace period; then KILL to whatever of the group is left. */
  stop(): Promise<void>;
}

/** Starts `command` (from the repository root unless `cwd` says otherwise) the way `setsid` would (`npm start`, say). */
export function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): ProcessGroup {
  const startedAt = performance.now();
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const chunks: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS, 'late');
    });
    if ((await Promise.race([exited, late])) === 'late') signal('SIGKILL');
    clearTimeout(timer);
    await exited;
    // npm may exit before the server it started: nothing of the group outlives the run.
    signal('SIGKILL');
  };
  return {
    child,
    startedAt,
    output: () => chunks.join(''),
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

export interface Ready {
  /** Wall time from the spawn to the first 200. */
  ms: number;
  /** CPU time the whole group had used by then (null off Linux). */
  cpuMs: number | null;
}

/**
 * Polls `url` every `pollMs` until it answers 200; returns the time since the group was
 * spawned, and the CPU time it used. Fails, with the group's output, if it exits or
 * takes longer than `giveUpMs`.
 */
export async function untilReady(
  group: ProcessGroup,
  url: string,
  options: { pollMs: number; giveUpMs: number },
): Promise<Ready> {
  while (performance.now() - group.startedAt < options.giveUpMs) {
    if (group.child.exitCode !== null) {
      throw new Error(`${group.child.spawnargs.join(' ')} exited (${group.child.exitCode}):\n${group.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) {
        const ms = performance.now() - group.startedAt;
        const cpu = groupCpuMicros(group.child.pid);
        return { ms, cpuMs: cpu === null ? null : cpu / 1000 };
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
  throw new Error(`${url} did not answer 200 within ${options.giveUpMs} ms:\n${group.output()}`);
}
