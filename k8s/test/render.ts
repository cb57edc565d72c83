import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import YAML from 'yaml';

const run = promisify(execFile);

/** The chart's root directory (k8s/). */
export const CHART_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_DIR = join(REPO_DIR, 'dev/helm-render');
const CACHE_DIR = join(REPO_DIR, 'node_modules/.cache/edgeplane-helm-render');
// Debian's Go sources the renderer imports (GOPATH mode, see STACK-NOTES.md).
const GOCODE = '/usr/share/gocode';
const GO_PACKAGES = [
  'github.com/Masterminds/sprig',
  'github.com/xeipuuv/gojsonschema',
  'github.com/gobwas/glob',
  'github.com/BurntSushi/toml',
  'sigs.k8s.io/yaml',
];

/** A Kubernetes object as rendered. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked against their schemas, not typed here.
  [field: string]: any;
}

export interface Manifest {
  /** The template it came from, e.g. edgeplane/templates/deployment.yaml. */
  source: string;
  object: KubeObject;
}

export interface RenderOptions {
  /** Values files' contents, applied in order after values.yaml (as `-f`). */
  values?: Record<string, unknown>[];
  /** Chart-relative values files, applied before `values` (e.g. values-production.yaml). */
  valueFiles?: string[];
  set?: string[];
  name?: string;
  namespace?: string;
  /** Another chart than k8s/ (the renderer's own tests). */
  chartDir?: string;
}

export interface Renderer {
  kind: 'helm' | 'helm-render';
  bin: string;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The real `helm` when it is on PATH; otherwise dev/helm-render, built once per source
 * hash into node_modules/.cache. Returns the reason instead when neither can run.
 */
export function findRenderer(): Renderer | { skip: string } {
  const helm = onPath('helm');
  if (helm) return { kind: 'helm', bin: helm };
  const go = onPath('go');
  if (!go) return { skip: 'neither helm nor go is installed (apt-get install golang-go …, see .ci/run)' };
  const missing = GO_PACKAGES.filter((pkg) => !existsSync(join(GOCODE, 'src', pkg)));
  if (missing.length) return { skip: `Debian Go packages missing: ${missing.join(', ')} (see .ci/run)` };

  const sources = readdirSync(RENDERER_DIR)
    .filter((f) => f.endsWith('.go'))
    .sort();
  const hash = createHash('sha256');
  hash.update(spawnSync(go, ['version'], { encoding: 'utf8' }).stdout);
  for (const file of sources) hash.update(file).update(readFileSync(join(RENDERER_DIR, file)));
  const bin = join(CACHE_DIR, hash.digest('hex').slice(0, 16), 'helm-render');
  if (existsSync(bin)) return { kind: 'helm-render', bin };

  // Build in a private GOPATH, then rename into place: parallel test files may race here.
  const work = mkdtempSync(join(tmpdir(), 'helm-render-build-'));
  try {
    const pkgDir = join(work, 'src', 'helm-render');
    mkdirSync(pkgDir, { recursive: true });
    for (const file of sources) cpSync(join(RENDERER_DIR, file), join(pkgDir, file));
    const built = spawnSync(go, ['build', '-o', join(work, 'helm-render'), '.'], {
      cwd: pkgDir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH: `${work}${delimiter}${GOCODE}`,
        GOCACHE: join(CACHE_DIR, 'gocache'),
        GOFLAGS: '',
      },
    });
    if (built.status !== 0) throw new Error(`building dev/helm-render failed:\n${built.stderr}`);
    mkdirSync(join(bin, '..'), { recursive: true });
    renameSync(join(work, 'helm-render'), bin);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { kind: 'helm-render', bin };
}

/** The renderer, or a thrown error naming why there is none (callers skip before this). */
export function requireRenderer(): Renderer {
  const found = findRenderer();
  if ('skip' in found) throw new Error(found.skip);
  return found;
}

/** A failed render: Helm's message (schema violations, `fail`, `required`, YAML errors). */
export class RenderError extends Error {}

async function renderRaw(renderer: Renderer, options: RenderOptions, notes: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'edgeplane-values-'));
  try {
    const files = [
      ...(options.valueFiles ?? []).map((f) => join(options.chartDir ?? CHART_DIR, f)),
      ...(options.values ?? []).map((values, i) => {
        const file = join(dir, `values-${i}.yaml`);
        writeFileSync(file, YAML.stringify(values));
        return file;
      }),
    ];
    const name = options.name ?? 'edgeplane';
    const chart = options.chartDir ?? CHART_DIR;
    const common = [
      '--namespace',
      options.namespace ?? 'edgeplane',
      ...files.flatMap((f) => ['-f', f]),
      ...(options.set ?? []).flatMap((s) => ['--set', s]),
    ];
    const args =
      renderer.kind === 'helm'
        ? notes
          ? ['install', name, chart, '--dry-run=client', ...common]
          : ['template', name, chart, ...common]
        : ['--name', name, '--strict', ...(notes ? ['--notes'] : []), ...common, chart];
    try {
      const { stdout } = await run(renderer.bin, args, { maxBuffer: 32 * 1024 * 1024 });
      if (renderer.kind === 'helm' && notes) return stdout.slice(stdout.indexOf('NOTES:\n') + 'NOTES:\n'.length);
      return stdout;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new RenderError(stderr.trim());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Renders the chart as `helm template` does and parses every document the way the API
 * server reads YAML (1.1: `0555` is octal, `on` is a boolean), refusing duplicate keys.
 */
export async function render(renderer: Renderer, options: RenderOptions = {}): Promise<Manifest[]> {
  const out = await renderRaw(renderer, options, false);
  const manifests: Manifest[] = [];
  for (const chunk of out.split(/^---\s*$/m)) {
    if (!chunk.trim()) continue;
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1] ?? '(unknown)';
    const doc = YAML.parseDocument(chunk, { version: '1.1', uniqueKeys: true });
    if (doc.errors.length) throw new RenderError(`${source}: ${doc.errors.map((e) => e.message).join('\n')}`);
    const object = doc.toJS() as KubeObject | null;
    if (object) manifests.push({ source, object });
  }
  return manifests;
}

/** The rendered NOTES.txt for the same options. */
export function renderNotes(renderer: Renderer, options: RenderOptions = {}): Promise<string> {
  return renderRaw(renderer, options, true);
}
