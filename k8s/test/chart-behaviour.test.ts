import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { allowed, type Endpoint, otherPod, podOf } from './network-policy.ts';
import { CHART_DIR, chartHelm, type Helm, type Manifest, render, renderNotes } from './render.ts';
import { EXTERNAL_SERVICES, PRODUCTION_SECRET, SELF_HOSTED } from './value-sets.ts';
import { all, containerEnv, find } from './workloads.ts';

const found = chartHelm();
const skip = 'skip' in found ? ` (skipped: ${found.skip})` : '';
const helm = found as Helm;
const NS = 'edgeplane';
const INTERNET = { ip: '203.0.113.10' };

function workload(manifests: Manifest[], kind: string, name: string): Endpoint {
  const w = find(manifests, kind, name);
  if (!w) throw new Error(`${kind} ${name} is not rendered`);
  return { pod: podOf(w, NS) };
}

describe.skipIf('skip' in found)(`chart: network policies${skip}`, () => {
  let policies: Manifest['object'][];
  let m: Manifest[];
  beforeAll(async () => {
    m = await render(helm);
    policies = all(m, 'NetworkPolicy');
  });

  it('lets the ingress controller reach the app, and no other pod', () => {
    const app = workload(m, 'Deployment', 'edgeplane');
    const controller = { pod: otherPod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }) };
    expect(allowed(policies, controller, app, 8787)).toBe(true);
    expect(allowed(policies, { pod: otherPod(NS, { app: 'curious' }) }, app, 8787)).toBe(false);
    expect(
      allowed(policies, { pod: otherPod('monitoring', { 'app.kubernetes.io/name': 'prometheus' }) }, app, 8787),
    ).toBe(false);
    expect(allowed(policies, INTERNET, app, 8787)).toBe(false);
  });

  it('lets the app reach DNS, its Postgres and Redis and HTTPS, and nothing else', () => {
    const app = workload(m, 'Deployment', 'edgeplane');
    const dns = { pod: otherPod('kube-system', { 'k8s-app': 'kube-dns' }) };
    expect(allowed(policies, app, dns, 53, 'UDP')).toBe(true);
    expect(allowed(policies, app, dns, 53, 'TCP')).toBe(true);
    expect(allowed(policies, app, workload(m, 'StatefulSet', 'edgeplane-postgresql'), 5432)).toBe(true);
    expect(allowed(policies, app, workload(m, 'Deployment', 'edgeplane-redis'), 6379)).toBe(true);
    expect(allowed(policies, app, INTERNET, 443)).toBe(true);
    expect(allowed(policies, app, INTERNET, 25)).toBe(false);
    expect(allowed(policies, app, INTERNET, 5432)).toBe(false);
    expect(allowed(policies, app, { pod: otherPod('other-team', {}) }, 8080)).toBe(false);
  });

  it('keeps Postgres to the app, migrations and backups, and Redis to the app', () => {
    const postgres = workload(m, 'StatefulSet', 'edgeplane-postgresql');
    const redis = workload(m, 'Deployment', 'edgeplane-redis');
    const backup = workload(m, 'CronJob', 'edgeplane-backup');
    const migrations = workload(m, 'Job', 'edgeplane-migrations');
    expect(allowed(policies, backup, postgres, 5432)).toBe(true);
    expect(allowed(policies, migrations, postgres, 5432)).toBe(true);
    expect(allowed(policies, backup, redis, 6379)).toBe(false);
    expect(allowed(policies, { pod: otherPod(NS, { app: 'curious' }) }, postgres, 5432)).toBe(false);
    expect(allowed(policies, { pod: otherPod(NS, { app: 'curious' }) }, redis, 6379)).toBe(false);
    // Neither database opens connections of its own.
    expect(allowed(policies, postgres, INTERNET, 443)).toBe(false);
    expect(allowed(policies, redis, INTERNET, 443)).toBe(false);
  });

  it('lets Prometheus scrape only with the ServiceMonitor on', async () => {
    const withMonitor = await render(helm, { values: [{ metrics: { serviceMonitor: { enabled: true } } }] });
    const prometheus = { pod: otherPod('monitoring', { 'app.kubernetes.io/name': 'prometheus' }) };
    expect(
      allowed(all(withMonitor, 'NetworkPolicy'), prometheus, workload(withMonitor, 'Deployment', 'edgeplane'), 8787),
    ).toBe(true);
  });

  it('sends external database and Redis traffic only to their CIDRs', async () => {
    const ext = await render(helm, { values: [EXTERNAL_SERVICES] });
    const p = all(ext, 'NetworkPolicy');
    const app = workload(ext, 'Deployment', 'edgeplane');
    expect(allowed(p, app, { ip: '10.20.4.5' }, 5432)).toBe(true);
    expect(allowed(p, app, { ip: '10.30.4.5' }, 6379)).toBe(true);
    expect(allowed(p, app, INTERNET, 5432)).toBe(false);
    expect(allowed(p, workload(ext, 'Job', 'edgeplane-migrations'), { ip: '10.20.4.5' }, 5432)).toBe(true);
  });
});

describe.skipIf('skip' in found)(`chart: hooks, production and GitOps${skip}`, () => {
  it('puts the migration Secret of an external database in a hook that runs before the Job', async () => {
    const m = await render(helm, { values: [EXTERNAL_SERVICES] });
    const secret = find(m, 'Secret', 'edgeplane-migrations');
    const job = find(m, 'Job', 'edgeplane-migrations');
    const hooks = (o: typeof job) => o?.metadata.annotations ?? {};
    expect(hooks(secret)['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Number(hooks(secret)['helm.sh/hook-weight'])).toBeLessThan(Number(hooks(job)['helm.sh/hook-weight']));
    expect(hooks(secret)['helm.sh/hook-delete-policy']).toContain('hook-succeeded');
    expect(Buffer.from(secret?.data.DATABASE_URL, 'base64').toString()).toBe(EXTERNAL_SERVICES.secrets.DATABASE_URL);
    // Only DATABASE_URL: the rest of the app's settings are not validated by `migrate`.
    expect(job?.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['DATABASE_URL']);
    // The release's ServiceAccount does not exist yet when a pre-install hook runs.
    expect(job?.spec.template.spec.serviceAccountName).toBeUndefined();
  });

  it('runs production with an HPA of 3–20 replicas at 60% CPU, TLS, monitoring and no generated secret', async () => {
    const m = await render(helm, { valueFiles: ['values-production.yaml'] });
    const hpa = find(m, 'HorizontalPodAutoscaler', 'edgeplane');
    expect(hpa?.spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    expect(hpa?.spec.metrics[0].resource).toEqual({
      name: 'cpu',
      target: { type: 'Utilization', averageUtilization: 60 },
    });
    // The HPA owns the replica count: an upgrade must not reset it.
    expect(find(m, 'Deployment', 'edgeplane')?.spec.replicas).toBeUndefined();
    expect(find(m, 'PodDisruptionBudget', 'edgeplane')?.spec.minAvailable).toBe(2);
    expect(find(m, 'Ingress', 'edgeplane')?.spec.tls).toEqual([
      { secretName: 'edgeplane-tls', hosts: ['edgeplane.example.com'] },
    ]);
    expect(all(m, 'Secret')).toEqual([]);
    const endpoint = find(m, 'ServiceMonitor', 'edgeplane')?.spec.endpoints[0];
    expect(endpoint.authorization.credentials).toEqual({ name: 'edgeplane-secrets', key: 'METRICS_TOKEN' });
    expect(Object.keys(PRODUCTION_SECRET)).toContain('METRICS_TOKEN');
    expect(find(m, 'StatefulSet')).toBeUndefined();
  });

  it('ships the observability rules and dashboard as they are in k8s/observability', async () => {
    const m = await render(helm, { valueFiles: ['values-production.yaml'] });
    const rules = YAML.parse(readFileSync(join(CHART_DIR, 'observability/prometheus-rules.yaml'), 'utf8'));
    expect(find(m, 'PrometheusRule', 'edgeplane')?.spec).toEqual(rules);
    const dashboard = find(m, 'ConfigMap', 'edgeplane-dashboard');
    expect(dashboard?.metadata.labels?.grafana_dashboard).toBe('1');
    expect(JSON.parse(dashboard?.data['edgeplane.json'])).toEqual(
      JSON.parse(readFileSync(join(CHART_DIR, 'observability/grafana-dashboard.json'), 'utf8')),
    );
  });

  it('renders identically twice when every secret is given (GitOps)', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => render(helm, { values: [SELF_HOSTED] })));
    expect(a).toEqual(b);
    const secret = find(a ?? [], 'Secret', 'edgeplane');
    const data = Object.fromEntries(
      Object.entries<string>(secret?.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    expect(data).toMatchObject(SELF_HOSTED.secrets);
  });

  it('generates missing secrets in the formats the app accepts, and keeps Postgres passwords on uninstall', async () => {
    const m = await render(helm);
    const app = find(m, 'Deployment', 'edgeplane')?.spec.template.spec.containers[0];
    const env = containerEnv(m, app);
    expect(env.JWT_SIGNING_KEYS).toMatch(/^k1:[A-Za-z0-9]{48}$/);
    expect(env.ADMIN_PASSWORD).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/edgeplane:[A-Za-z0-9]{48}@edgeplane-postgresql:5432\/edgeplane$/);
    expect(env.REDIS_URL).toMatch(/^redis:\/\/:[A-Za-z0-9]{48}@edgeplane-redis:6379$/);
    expect(find(m, 'Secret', 'edgeplane-postgresql')?.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
  });

  it('schedules backups with the retention and time zone given, into a claim that outlives the release', async () => {
    const m = await render(helm, { values: [SELF_HOSTED] });
    const cron = find(m, 'CronJob', 'edgeplane-backup');
    expect(cron?.spec).toMatchObject({
      schedule: '15 1 * * *',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
    });
    const env = containerEnv(m, cron?.spec.jobTemplate.spec.template.spec.containers[0]);
    expect(env).toMatchObject({ BACKUP_ACTION: 'backup', BACKUP_RETENTION: '14', BACKUP_DIR: '/backups' });
    expect(env.DATABASE_URL).toBe('postgres://edgeplane:pg-Password.1@edgeplane-postgresql:5432/edgeplane');
    expect(find(m, 'PersistentVolumeClaim', 'edgeplane-backups')?.metadata.annotations).toEqual({
      'helm.sh/resource-policy': 'keep',
    });
    const postgres = find(m, 'StatefulSet', 'edgeplane-postgresql');
    expect(postgres?.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'fast-ssd',
      resources: { requests: { storage: '20Gi' } },
    });
  });

  it('derives PUBLIC_URL and TRUST_PROXY from the ingress, and writes numbers and booleans as the app reads them', async () => {
    const m = await render(helm, { values: [SELF_HOSTED] });
    expect(find(m, 'ConfigMap', 'edgeplane')?.data).toMatchObject({
      PUBLIC_URL: 'https://ops.example.org',
      TRUST_PROXY: 'true',
      JOB_CONCURRENCY: '8',
      IMPORT_MAX_BYTES: '20971520',
      TRACE_SAMPLE_RATIO: '0.25',
      RATE_LIMIT_ENABLED: 'true',
    });
    const plain = await render(helm);
    expect(find(plain, 'ConfigMap', 'edgeplane')?.data.TRUST_PROXY).toBeUndefined();
  });

  it('warns in its NOTES when replicas × pool size exceed what the in-cluster Postgres accepts', async () => {
    const scaled = await renderNotes(helm, { values: [{ autoscaling: { enabled: true } }] });
    expect(scaled).toContain('20 replicas × DATABASE_POOL_SIZE 10 = 200 connections');
    expect(await renderNotes(helm, { values: [SELF_HOSTED] })).not.toContain('connections,');
  });

  it('binds the backup claim at install with a Job named after its pod, not with an existing claim', async () => {
    const claimJobs = (m: Manifest[]) =>
      all(m, 'Job').filter((j) => j.metadata.name.startsWith('edgeplane-backup-claim-'));
    const [job] = claimJobs(await render(helm));
    expect(job?.spec.template.spec.volumes).toEqual([
      { name: 'backups', persistentVolumeClaim: { claimName: 'edgeplane-backups' } },
    ]);
    // No hook: Helm's --wait sees the claim bound because this Job, part of the release, mounts it.
    expect(job?.metadata.annotations?.['helm.sh/hook']).toBeUndefined();
    const [retagged] = claimJobs(await render(helm, { values: [{ backup: { image: { tag: '17.6-alpine' } } }] }));
    expect(retagged?.metadata.name).not.toBe(job?.metadata.name);
    const own = await render(helm, { values: [{ backup: { persistence: { existingClaim: 'my-backups' } } }] });
    expect(claimJobs(own)).toEqual([]);
    expect(find(own, 'PersistentVolumeClaim')).toBeUndefined();
  });
});
