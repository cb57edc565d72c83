import type { KubeObject, Manifest } from './render.ts';

// biome-ignore lint/suspicious/noExplicitAny: pod specs are read field by field after schema validation.
type PodSpec = any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
export type Container = any;

export interface PodTemplate {
  owner: string;
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** The pod templates of every workload (Deployment, StatefulSet, Job, CronJob). */
export function podTemplates(manifests: Manifest[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const { object: o } of manifests) {
    const owner = `${o.kind} ${o.metadata.name}`;
    if (['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(o.kind)) out.push({ owner, ...o.spec.template });
    if (o.kind === 'CronJob') out.push({ owner, ...o.spec.jobTemplate.spec.template });
  }
  return out;
}

/** Every container of a pod, init containers included, labelled for messages. */
export function containersOf(pod: PodTemplate): { name: string; container: Container }[] {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c: Container) => ({
    name: `${pod.owner} / ${c.name}`,
    container: c,
  }));
}

export function find(manifests: Manifest[], kind: string, name?: string): KubeObject | undefined {
  return manifests.find((m) => m.object.kind === kind && (name === undefined || m.object.metadata.name === name))
    ?.object;
}

export function all(manifests: Manifest[], kind: string): KubeObject[] {
  return manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
}

function decoded(secret: KubeObject): Record<string, string> {
  const out: Record<string, string> = { ...(secret.stringData ?? {}) };
  for (const [k, v] of Object.entries<string>(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/**
 * The environment a container starts with, assembled as the kubelet does: envFrom in
 * order, then env entries, `$(VAR)` expanded from what is defined before it. Secrets not
 * rendered by the chart (existingSecret) come from `external`.
 */
export function containerEnv(
  manifests: Manifest[],
  container: Container,
  external: Record<string, Record<string, string>> = {},
): Record<string, string> {
  const configMaps = new Map(all(manifests, 'ConfigMap').map((c) => [c.metadata.name, c.data ?? {}]));
  const secrets = new Map(all(manifests, 'Secret').map((s) => [s.metadata.name, decoded(s)]));
  for (const [name, data] of Object.entries(external)) secrets.set(name, data);
  const source = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
    const found = kind === 'ConfigMap' ? configMaps.get(name) : secrets.get(name);
    if (!found) throw new Error(`${container.name}: ${kind} ${name} is neither rendered nor provided`);
    return found;
  };

  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, source('ConfigMap', from.configMapRef.name));
    if (from.secretRef) Object.assign(env, source('Secret', from.secretRef.name));
  }
  for (const entry of container.env ?? []) {
    if (entry.valueFrom?.secretKeyRef) {
      const { name, key } = entry.valueFrom.secretKeyRef;
      const value = source('Secret', name)[key];
      if (value === undefined) throw new Error(`${container.name}: Secret ${name} has no key ${key}`);
      env[entry.name] = value;
    } else if (entry.valueFrom?.configMapKeyRef) {
      const { name, key } = entry.valueFrom.configMapKeyRef;
      env[entry.name] = source('ConfigMap', name)[key] as string;
    } else {
      env[entry.name] = String(entry.value ?? '').replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name) =>
        match === '$$' ? '$' : (env[name] ?? match),
      );
    }
  }
  return env;
}
