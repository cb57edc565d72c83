import { fileURLToPath, pathToFileURL } from 'node:url';
import { num } from './table.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** What `node --cpu-prof` writes (one file per thread). */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock (`process.hrtime`'s). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in the window, idle included. */
  totalMs: number;
  /** Sampled time in the window that the thread spent waiting (`(idle)`). */
  idleMs: number;
  functions: string[];
  packages: string[];
}

const ROOT_URL = pathToFileURL(fileURLToPath(new URL('../../', import.meta.url))).href;

/** Where a frame's code comes from: a package, the app's own folder, Node itself or V8. */
function origin(url: string): string {
  if (url.startsWith('node:')) return 'node:internal';
  if (url.startsWith('wasm:')) return '(wasm)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith(ROOT_URL)) return url.slice(ROOT_URL.length).split('/').slice(0, 2).join('/');
  return url;
}

/**
 * The heaviest functions and packages by self time, as shares of the sampled time.
 * `untilMicros` (on the profile's clock) ends the window early: a start-up profile
 * counts only what happened before the server was ready.
 */
export function summarizeProfile(
  profile: CpuProfile,
  options: { entries: number; untilMicros?: number },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (options.untilMicros !== undefined && at > options.untilMicros) return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let idle = 0;
  for (const [id, micros] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += micros;
    const file = url.split('/').pop() ?? '';
    // Frames without a script are V8's own ((idle), (program), (garbage collector)) or native functions.
    const vm = functionName.startsWith('(');
    const key = url
      ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1} [${origin(url)}]`
      : vm
        ? functionName
        : `${functionName} [native]`;
    fn.set(key, (fn.get(key) ?? 0) + micros);
    const where = url ? origin(url) : vm ? functionName : '(native)';
    pkg.set(where, (pkg.get(where) ?? 0) + micros);
  }
  const top = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.entries)
      .map(([k, v]) => `${num(v / 1000).padStart(6)} ms ${num((100 * v) / total, 1).padStart(5)}%  ${k}`);
  return { totalMs: total / 1000, idleMs: idle / 1000, functions: top(fn), packages: top(pkg) };
}

/** A summary's two lists as printed: self time by package, then by function. */
export function summaryLines(summary: ProfileSummary): string[] {
  return ['self time by package:', ...summary.packages, '', 'self time by function:', ...summary.functions];
}
