import { beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from './kube-schemas.ts';
import { allowed, otherPod, podOf } from './network-policy.ts';
import { chartHelm, type Helm, type KubeObject, type Manifest, render, renderNotes } from './render.ts';
import { CLOUDNATIVE_PG, CNPG_APP_SECRET } from './value-sets.ts';
import { all, containerEnv, find } from './workloads.ts';

const found = chartHelm();
const skip = 'skip' in found ? ` (skipped: ${found.skip})` : '';
const helm = found as Helm;
const external = { 'edgeplane-postgresql-app': CNPG_APP_SECRET };
const BACKUP = {
  enabled: true,
  destinationPath: 's3://edgeplane-backups/db',
  s3Credentials: { existingSecret: 'edgeplane-s3' },
};
const cnpg = (cloudnativePg: Record<string, unknown> = {}, more: Record<string, unknown> = {}) => ({
  postgresql: { mode: 'cloudnative-pg', cloudnativePg },
  ...more,
});
const app = (m: Manifest[]) => find(m, 'Deployment', 'edgeplane')?.spec.template.spec;

describe.skipIf('skip' in found)(`chart: postgresql.mode=cloudnative-pg${skip}`, () => {
  let defaults: Manifest[];
  let full: Manifest[];
  beforeAll(async () => {
    [defaults, full] = await Promise.all([
      render(helm, { values: [cnpg()] }),
      render(helm, { values: [CLOUDNATIVE_PG] }),
    ]);
  });

  it('renders a Cluster of 3 instances spread over zones (and nodes) instead of the StatefulSet', () => {
    const spec = find(defaults, 'Cluster', 'edgeplane-postgresql')?.spec;
    expect(spec.instances).toBe(3);
    expect(spec.affinity).toMatchObject({
      enablePodAntiAffinity: true,
      topologyKey: 'topology.kubernetes.io/zone',
      podAntiAffinityType: 'preferred',
    });
    const term = spec.affinity.additionalPodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0];
    expect(term.podAffinityTerm).toEqual({
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: { 'cnpg.io/cluster': 'edgeplane-postgresql' } },
    });
    expect(spec.bootstrap).toEqual({ initdb: { database: 'edgeplane', owner: 'edgeplane', dataChecksums: true } });
    expect(spec.storage).toEqual({ size: '8Gi' });
    expect(spec.resources.limits).toEqual({ cpu: '1', memory: '1Gi' });
    expect(spec.postgresql.parameters).toEqual({ archive_timeout: '5min' });
    expect(spec.postgresql.synchronous).toBeUndefined();
    expect(find(defaults, 'Cluster')?.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(find(defaults, 'StatefulSet')).toBeUndefined();
    expect(find(defaults, 'Secret', 'edgeplane-postgresql')).toBeUndefined();
    // No backup configured, no plugin, ObjectStore or ScheduledBackup.
    expect(spec.plugins).toBeUndefined();
    expect(find(defaults, 'ObjectStore')).toBeUndefined();
    expect(find(defaults, 'ScheduledBackup')).toBeUndefined();
  });

  it('takes storage, resources, synchronous replication and required anti-affinity from values', async () => {
    const spec = find(full, 'Cluster', 'edgeplane-postgresql')?.spec;
    expect(spec.storage).toEqual({ size: '20Gi', storageClass: 'fast-ssd' });
    expect(spec.postgresql.synchronous).toEqual({ method: 'any', number: 1, dataDurability: 'required' });
    const strict = await render(helm, {
      values: [
        cnpg({ instances: 5, affinity: { podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' } }),
      ],
    });
    const s = find(strict, 'Cluster')?.spec;
    expect(s.instances).toBe(5);
    expect(s.affinity).toEqual({
      enablePodAntiAffinity: true,
      topologyKey: 'kubernetes.io/hostname',
      podAntiAffinityType: 'required',
    });
  });

  it("connects the app and its migrations through the operator's read-write Service and Secret, waiting for it", () => {
    const pod = app(full);
    expect(pod.initContainers).toBeUndefined();
    const entry = pod.containers[0].env.find((e: { name: string }) => e.name === 'DATABASE_URL');
    expect(entry.valueFrom.secretKeyRef).toEqual({ name: 'edgeplane-postgresql-app', key: 'uri' });
    const env = containerEnv(full, pod.containers[0], external);
    expect(new URL(env.DATABASE_URL as string).hostname).toMatch(/^edgeplane-postgresql-rw(\.|$)/);
    expect(env.DATABASE_WAIT_SECONDS).toBe('600');
    expect(env.MIGRATE_ON_START).toBe('true');
    const job = find(full, 'Job', 'edgeplane-migrations');
    expect(job?.metadata.annotations?.['helm.sh/hook']).toBe('pre-upgrade');
    const migrate = containerEnv(full, job?.spec.template.spec.containers[0], external);
    expect(migrate).toEqual({
      DATABASE_URL: env.DATABASE_URL,
      DATABASE_WAIT_SECONDS: '600',
    });
  });

  it('archives WAL through the Barman Cloud plugin into the ObjectStore the ScheduledBackup backs up to', () => {
    const cluster = find(full, 'Cluster', 'edgeplane-postgresql') as KubeObject;
    const store = find(full, 'ObjectStore', 'edgeplane-backups') as KubeObject;
    const scheduled = find(full, 'ScheduledBackup', 'edgeplane-postgresql') as KubeObject;
    expect(cluster.spec.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: { barmanObjectName: 'edgeplane-backups', serverName: 'edgeplane-postgresql' },
      },
    ]);
    expect(store.spec).toEqual({
      retentionPolicy: '14d',
      configuration: {
        destinationPath: 's3://edgeplane-backups/production',
        s3Credentials: {
          accessKeyId: { name: 'edgeplane-s3', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'edgeplane-s3', key: 'ACCESS_SECRET_KEY' },
          region: { name: 'edgeplane-s3', key: 'REGION' },
        },
        wal: { compression: 'gzip', maxParallel: 2 },
        data: { compression: 'gzip' },
      },
    });
    expect(scheduled.spec).toEqual({
      schedule: '0 0 3 * * *',
      immediate: true,
      backupOwnerReference: 'self',
      cluster: { name: 'edgeplane-postgresql' },
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });
  });

  it('scrapes the instances with a PodMonitor only when metrics are on', () => {
    const monitor = find(full, 'PodMonitor', 'edgeplane-postgresql');
    expect(monitor?.spec).toEqual({
      selector: { matchLabels: { 'cnpg.io/cluster': 'edgeplane-postgresql' } },
      podMetricsEndpoints: [{ port: 'metrics', interval: '30s', scrapeTimeout: '10s' }],
    });
    expect(find(defaults, 'PodMonitor')).toBeUndefined();
  });

  it('lets the app, its migrations and dumps reach the instances on 5432, and no outside address', () => {
    const policies = all(full, 'NetworkPolicy');
    const instance = {
      pod: otherPod('edgeplane', { 'cnpg.io/cluster': 'edgeplane-postgresql', 'cnpg.io/instanceRole': 'primary' }),
    };
    const appPod = { pod: podOf(find(full, 'Deployment', 'edgeplane') as KubeObject, 'edgeplane') };
    expect(allowed(policies, appPod, instance, 5432)).toBe(true);
    expect(allowed(policies, appPod, { ip: '203.0.113.10' }, 5432)).toBe(false);
    for (const [kind, name] of [
      ['Job', 'edgeplane-migrations'],
      ['CronJob', 'edgeplane-backup'],
    ] as const) {
      expect(allowed(policies, { pod: podOf(find(full, kind, name) as KubeObject, 'edgeplane') }, instance, 5432)).toBe(
        true,
      );
    }
    expect(find(full, 'NetworkPolicy', 'edgeplane-postgresql')).toBeUndefined();
  });

  it('renders a recovery Cluster of a new name from the source archive, up to the target time', async () => {
    const m = await render(helm, {
      values: [
        cnpg({
          clusterName: 'edgeplane-pg-20260301',
          backup: BACKUP,
          recovery: {
            enabled: true,
            sourceClusterName: 'edgeplane-postgresql',
            targetTime: '2026-03-01 09:30:00+00',
          },
        }),
      ],
    });
    const spec = find(m, 'Cluster', 'edgeplane-pg-20260301')?.spec;
    expect(spec.bootstrap).toEqual({
      recovery: {
        source: 'origin',
        database: 'edgeplane',
        owner: 'edgeplane',
        recoveryTarget: { targetTime: '2026-03-01 09:30:00+00' },
      },
    });
    expect(spec.externalClusters).toEqual([
      {
        name: 'origin',
        plugin: {
          name: 'barman-cloud.cloudnative-pg.io',
          parameters: { barmanObjectName: 'edgeplane-backups', serverName: 'edgeplane-postgresql' },
        },
      },
    ]);
    // It archives under its own name, not into the archive it restores.
    expect(spec.plugins[0].parameters.serverName).toBe('edgeplane-pg-20260301');
    expect(find(m, 'ScheduledBackup', 'edgeplane-pg-20260301')?.spec.cluster).toEqual({
      name: 'edgeplane-pg-20260301',
    });
    // The new Cluster exists only after the upgrade's hooks: the app migrates at start instead.
    expect(find(m, 'Job', 'edgeplane-migrations')).toBeUndefined();
    const env = containerEnv(m, app(m).containers[0], {
      'edgeplane-pg-20260301-app': {
        ...CNPG_APP_SECRET,
        uri: 'postgresql://edgeplane:x@edgeplane-pg-20260301-rw:5432/edgeplane',
      },
    });
    expect(env.MIGRATE_ON_START).toBe('true');
    expect(env.DATABASE_URL).toContain('@edgeplane-pg-20260301-rw:');
    expect(schemaErrors(m)).toEqual([]);
    // Without a target: the end of the archive.
    const latest = await render(helm, {
      values: [
        cnpg({
          clusterName: 'edgeplane-pg-2',
          backup: BACKUP,
          recovery: { enabled: true, sourceClusterName: 'edgeplane-postgresql' },
        }),
      ],
    });
    expect(find(latest, 'Cluster')?.spec.bootstrap.recovery.recoveryTarget).toBeUndefined();
  });

  it('says in its NOTES how to wait for the Cluster, and warns without continuous backup', async () => {
    const plain = await renderNotes(helm, { values: [cnpg()] });
    expect(plain).toContain('kubectl -n edgeplane wait --for=condition=Ready cluster/edgeplane-postgresql');
    expect(plain).toContain('WARNING: the Cluster has no continuous backup');
    const backed = await renderNotes(helm, { values: [CLOUDNATIVE_PG] });
    expect(backed).toContain('WAL archived to s3://edgeplane-backups/production at least every 5min');
    expect(backed).not.toContain('no continuous backup');
  });
});
