import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { findHelm, type Helm } from '../../dev/install-helm.ts';

export type { Helm } from '../../dev/install-helm.ts';

const run = promisify(execFile);

/** The chart's root directory (k8s/). */
export const CHART_DIR = fileURLToPath(new URL('..', import.meta.url));

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
}

/**
 * Helm 4.1.x for the chart tests (on PATH, or installed by `npm run helm:install`), or the
 * reason the tests that need it skip.
 */
export function chartHelm(): Helm | { skip: string } {
  const found = findHelm();
  return 'missing' in found ? { skip: found.missing } : found;
}

/** A failed Helm run: its message (schema violations, `fail`, `required`, YAML errors, lint findings). */
export class RenderError extends Error {}

/** Helm's arguments for the values, `--set`s and namespace of `options`, and the values files it needs written. */
function valueArgs(options: RenderOptions, dir: string): string[] {
  const files = [
    ...(options.valueFiles ?? []).map((f) => join(CHART_DIR, f)),
    ...(options.values ?? []).map((values, i) => {
      const file = join(dir, `values-${i}.yaml`);
      writeFileSync(file, YAML.stringify(values));
      return file;
    }),
  ];
  return [
    '--namespace',
    options.namespace ?? 'edgeplane',
    ...files.flatMap((f) => ['-f', f]),
    ...(options.set ?? []).flatMap((s) => ['--set', s]),
  ];
}

/** Runs `helm <command> … k8s/ <values of options>`; a non-zero exit throws a RenderError with Helm's message. */
async function helmWith(helm: Helm, command: string[], options: RenderOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'edgeplane-values-'));
  try {
    const args = [...command, CHART_DIR, ...valueArgs(options, dir)];
    const { stdout } = await run(helm.bin, args, { maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new RenderError([stdout, stderr].filter(Boolean).join('\n').trim() || String(error));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Renders the chart as `helm template` does and parses every document the way the API
 * server reads YAML (1.1: `0555` is octal, `on` is a boolean), refusing duplicate keys.
 */
export async function render(helm: Helm, options: RenderOptions = {}): Promise<Manifest[]> {
  const out = await helmWith(helm, ['template', options.name ?? 'edgeplane'], options);
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

/** The rendered NOTES.txt for the same options (`helm install --dry-run=client`, which renders it; `helm template` does not). */
export async function renderNotes(helm: Helm, options: RenderOptions = {}): Promise<string> {
  const out = await helmWith(
    helm,
    ['install', options.name ?? 'edgeplane', '--dry-run=client', '--output', 'json'],
    options,
  );
  return (JSON.parse(out) as { info: { notes?: string } }).info.notes ?? '';
}

/** `helm lint --strict` of the chart with the same values: Helm's report, or a RenderError carrying it. */
export function lint(helm: Helm, options: RenderOptions = {}): Promise<string> {
  return helmWith(helm, ['lint', '--strict'], options);
}
