import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { EnvSchema } from '../../core/env-schema.ts';
import { schemaErrors, unknownFieldErrors } from './kube-schemas.ts';
import { CHART_DIR, chartHelm, type Helm, type Manifest, render } from './render.ts';
import { find } from './workloads.ts';

const found = chartHelm();
const skip = 'skip' in found ? ` (skipped: ${found.skip})` : '';
const helm = found as Helm;
const chartFile = (path: string) => readFileSync(join(CHART_DIR, path), 'utf8');
const schema = JSON.parse(chartFile('values.schema.json'));

// Settings the chart sets itself (HOST, PORT, …) or that only the embedded/dev modes use.
const CHART_MANAGED = [
  'HOST',
  'PORT',
  'SHUTDOWN_DRAIN_MS',
  'MIGRATE_ON_START',
  'DATA_DIR',
  'PGLITE_TEMPLATE_DIR',
  'NEON_HTTP_ENDPOINT',
];

describe.skipIf('skip' in found)(`chart: values that break the schema are refused naming the field${skip}`, () => {
  // Helm 4 names the value by its JSON pointer (`at '/a/b'`), an unknown key at its parent.
  it.each([
    ['a wrong type', { replicaCount: 'three' }, '/replicaCount', 'got string, want integer'],
    ['a misspelt key', { imagee: { tag: '1.0.0' } }, '', "additional properties 'imagee' not allowed"],
    ['a misspelt nested key', { ingress: { hostz: [] } }, '/ingress', "additional properties 'hostz' not allowed"],
    [
      'a root user',
      { podSecurityContext: { runAsUser: 0 } },
      '/podSecurityContext/runAsUser',
      'minimum: got 0, want 1',
    ],
    [
      'a setting the chart owns',
      { config: { HOST: '127.0.0.1' } },
      '/config',
      "additional properties 'HOST' not allowed",
    ],
    [
      'an unknown app setting',
      { config: { LOG_LEVLE: 'debug' } },
      '/config',
      "additional properties 'LOG_LEVLE' not allowed",
    ],
    ['a bad enum', { config: { LOG_LEVEL: 'verbose' } }, '/config/LOG_LEVEL', 'value must be one of'],
    [
      'a short JWT secret',
      { secrets: { JWT_SIGNING_KEYS: 'k1:short' } },
      '/secrets/JWT_SIGNING_KEYS',
      "'k1:short' does not match pattern",
    ],
    ['a zero retention', { backup: { retention: 0 } }, '/backup/retention', 'minimum: got 0, want 1'],
    [
      'a drain the app refuses',
      { shutdown: { drainSeconds: 300 } },
      '/shutdown/drainSeconds',
      'maximum: got 300, want 120',
    ],
    ['resources without limits', { resources: { limits: null } }, '/resources', "missing property 'limits'"],
    ['an unknown database mode', { postgresql: { mode: 'operator' } }, '/postgresql/mode', 'value must be one of'],
    [
      'the removed postgresql.enabled',
      { postgresql: { enabled: false } },
      '/postgresql',
      "additional properties 'enabled' not allowed",
    ],
    [
      'a backup without its bucket',
      { postgresql: { mode: 'cloudnative-pg', cloudnativePg: { backup: { enabled: true } } } },
      '/postgresql/cloudnativePg/backup/destinationPath',
      "'' does not match pattern",
    ],
    [
      'a backup without credentials',
      {
        postgresql: {
          mode: 'cloudnative-pg',
          cloudnativePg: { backup: { enabled: true, destinationPath: 's3://edgeplane-backups/db' } },
        },
      },
      '/postgresql/cloudnativePg/backup/s3Credentials/existingSecret',
      'minLength: got 0, want 1',
    ],
    [
      'a base backup schedule in CronJob form (five fields)',
      { postgresql: { cloudnativePg: { backup: { schedule: '0 3 * * *' } } } },
      '/postgresql/cloudnativePg/backup/schedule',
      "'0 3 * * *' does not match pattern",
    ],
    [
      'a retention the plugin refuses',
      { postgresql: { cloudnativePg: { backup: { retentionPolicy: '30 days' } } } },
      '/postgresql/cloudnativePg/backup/retentionPolicy',
      "'30 days' does not match pattern",
    ],
    [
      'a recovery without its source',
      { postgresql: { mode: 'cloudnative-pg', cloudnativePg: { recovery: { enabled: true } } } },
      '/postgresql/cloudnativePg/recovery/sourceClusterName',
      'minLength: got 0, want 1',
    ],
    [
      'a recovery time without its offset',
      { postgresql: { cloudnativePg: { recovery: { targetTime: '2026-03-01 09:30' } } } },
      '/postgresql/cloudnativePg/recovery/targetTime',
      "'2026-03-01 09:30' does not match pattern",
    ],
    [
      'an archive_timeout Postgres cannot read',
      { postgresql: { cloudnativePg: { parameters: { archive_timeout: 'five minutes' } } } },
      '/postgresql/cloudnativePg/parameters/archive_timeout',
      "'five minutes' does not match pattern",
    ],
  ])('%s', async (_label, values, at, message) => {
    const rejected = render(helm, { values: [values] });
    await expect(rejected).rejects.toThrow(/values don't meet the specifications of the schema/);
    await expect(rejected).rejects.toThrow(`- at '${at}': ${message}`);
  });

  it.each([
    [
      'two databases',
      { secrets: { DATABASE_URL: 'postgres://x@db:5432/x' } },
      'postgresql.mode=statefulset and secrets.DATABASE_URL both choose a database',
    ],
    [
      'an operator Cluster and a URL',
      { postgresql: { mode: 'cloudnative-pg' }, secrets: { DATABASE_URL: 'postgres://x@db:5432/x' } },
      'postgresql.mode=cloudnative-pg and secrets.DATABASE_URL both choose a database',
    ],
    ['no database', { postgresql: { mode: 'external' } }, 'postgresql.mode=external needs a database'],
    [
      'a recovery without the object store',
      {
        postgresql: {
          mode: 'cloudnative-pg',
          cloudnativePg: {
            clusterName: 'edgeplane-pg2',
            recovery: { enabled: true, sourceClusterName: 'edgeplane-postgresql' },
          },
        },
      },
      'recovery reads the object store of postgresql.cloudnativePg.backup',
    ],
    [
      'a recovery into the Cluster it restores',
      {
        postgresql: {
          mode: 'cloudnative-pg',
          cloudnativePg: {
            backup: { enabled: true, destinationPath: 's3://b/db', s3Credentials: { existingSecret: 's3' } },
            recovery: { enabled: true, sourceClusterName: 'edgeplane-postgresql' },
          },
        },
      },
      'give the recovered Cluster a new clusterName',
    ],
    [
      'more synchronous replicas than replicas',
      {
        postgresql: {
          mode: 'cloudnative-pg',
          cloudnativePg: { instances: 2, synchronous: { enabled: true, number: 2 } },
        },
      },
      'synchronous.number must be below instances',
    ],
    [
      'an HPA minimum above its maximum',
      { autoscaling: { enabled: true, minReplicas: 9, maxReplicas: 3 } },
      'minReplicas',
    ],
  ])('refuses %s with a message saying what to set', async (_label, values, message) => {
    await expect(render(helm, { values: [values] })).rejects.toThrow(message);
  });
});

describe('chart: values and their documentation', () => {
  it("covers every setting of the app's environment schema exactly once (config, secrets or the chart's own)", () => {
    const config = Object.keys(schema.properties.config.properties);
    const secrets = Object.keys(schema.properties.secrets.properties);
    const known = Object.keys(EnvSchema.shape);
    const covered = [...config, ...secrets, ...CHART_MANAGED];
    expect(
      covered.filter((k) => !known.includes(k)),
      'in the chart schema but not in core/env-schema.ts',
    ).toEqual([]);
    expect(
      known.filter((k) => !covered.includes(k)),
      'new app settings: add them to config or secrets in k8s/values.schema.json (and the README)',
    ).toEqual([]);
    expect(new Set(covered).size).toBe(covered.length);
  });

  it('lists every value of values.yaml in the README table', () => {
    const readme = chartFile('README.md');
    const paths: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
        for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
      } else paths.push(path);
    };
    walk(YAML.parse(chartFile('values.yaml')), '');
    expect(paths.length).toBeGreaterThan(80);
    expect(paths.filter((p) => !readme.includes(`| \`${p}\``))).toEqual([]);
  });

  it('accepts its own values.yaml and values-production.yaml as the schema describes them', () => {
    // Every top-level value is declared, so a new value cannot skip the schema.
    const values = YAML.parse(chartFile('values.yaml'));
    expect(Object.keys(values).sort()).toEqual(Object.keys(schema.properties).sort());
    const production = YAML.parse(chartFile('values-production.yaml'));
    expect(Object.keys(production).filter((k) => !(k in schema.properties))).toEqual([]);
  });
});

describe.skipIf('skip' in found)(`chart: the checks themselves${skip}`, () => {
  it('ships the backup script of k8s/scripts unchanged in its ConfigMap', async () => {
    const m = await render(helm);
    expect(find(m, 'ConfigMap', 'edgeplane-backup')?.data['pg-backup.sh']).toBe(chartFile('scripts/pg-backup.sh'));
  });

  it('catch a wrong type, an unknown kind and a misspelt field', async () => {
    const [deployment] = (await render(helm)).filter((m) => m.object.kind === 'Deployment');
    const broken = structuredClone(deployment) as Manifest;
    broken.object.spec.replicas = 'two';
    const typo = structuredClone(deployment) as Manifest;
    typo.object.spec.template.spec.containers[0].securityContext.runAsNonroot = true;
    const alien = { source: 'x', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } };
    expect(schemaErrors([broken]).join()).toMatch(/replicas must be integer/);
    expect(schemaErrors([alien]).join()).toMatch(/no schema for example.com\/v1 Widget/);
    expect(unknownFieldErrors([typo]).join()).toMatch(/runAsNonroot.*does not exist in type 'ISecurityContext'/);
  });
});
