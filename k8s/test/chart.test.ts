import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { schemaErrors, unknownFieldErrors } from './kube-schemas.ts';
import { chartHelm, type Helm, lint, type Manifest, render, renderNotes } from './render.ts';
import { VALUE_SETS } from './value-sets.ts';
import { all, containerEnv, containersOf, find, podTemplates } from './workloads.ts';

const found = chartHelm();
const skip = 'skip' in found ? ` (skipped: ${found.skip})` : '';
const helm = found as Helm;

describe.skipIf('skip' in found).each(VALUE_SETS)(
  `chart rendered with $name [${'version' in found ? `helm ${found.version}` : 'no helm'}]${skip}`,
  (set) => {
    let manifests: Manifest[];
    beforeAll(async () => {
      manifests = await render(helm, set.options);
    });

    it('passes helm lint --strict', async () => {
      const report = await lint(helm, set.options);
      expect(report).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(report).not.toMatch(/\[(WARNING|ERROR)\]/);
    });

    it('validates every object against the Kubernetes schema of its kind (CRDs: Prometheus Operator schemas, CloudNativePG API checks)', () => {
      expect(manifests.length).toBeGreaterThan(5);
      expect(schemaErrors(manifests)).toEqual([]);
    });

    it('uses no field its Kubernetes type does not define', () => {
      expect(unknownFieldErrors(manifests)).toEqual([]);
    });

    it('gives every object unique names per kind and the standard labels', () => {
      const keys = manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const { object } of manifests) {
        expect(object.metadata.labels, `${object.kind} ${object.metadata.name}`).toMatchObject({
          'app.kubernetes.io/name': 'edgeplane',
          'app.kubernetes.io/instance': 'edgeplane',
          'app.kubernetes.io/managed-by': 'Helm',
        });
      }
    });

    it('runs every container as non-root with a read-only root filesystem, no privileges and resources', () => {
      const pods = podTemplates(manifests);
      expect(pods.length).toBeGreaterThan(1);
      for (const pod of pods) {
        expect(pod.spec.automountServiceAccountToken, pod.owner).toBe(false);
        expect(pod.spec.hostNetwork ?? false, pod.owner).toBe(false);
        for (const { name, container: c } of containersOf(pod)) {
          const sc = { ...pod.spec.securityContext, ...c.securityContext };
          expect(sc.runAsNonRoot, name).toBe(true);
          expect(sc.runAsUser, name).toBeGreaterThan(0);
          expect(c.securityContext?.readOnlyRootFilesystem, name).toBe(true);
          expect(c.securityContext?.allowPrivilegeEscalation, name).toBe(false);
          expect(c.securityContext?.privileged ?? false, name).toBe(false);
          expect(c.securityContext?.capabilities?.drop, name).toContain('ALL');
          expect(c.securityContext?.capabilities?.add ?? [], name).toEqual([]);
          expect(sc.seccompProfile?.type, name).toBe('RuntimeDefault');
          for (const kind of ['requests', 'limits']) {
            expect(c.resources?.[kind]?.cpu, `${name} ${kind}.cpu`).toBeDefined();
            expect(c.resources?.[kind]?.memory, `${name} ${kind}.memory`).toBeDefined();
          }
          expect(c.image, name).toMatch(/^[^:@\s]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/);
          expect(c.image, name).not.toMatch(/:latest$/);
        }
      }
    });

    it('probes the app on /health/* and drains it within the grace period', () => {
      const deployment = find(manifests, 'Deployment', 'edgeplane');
      const pod = deployment?.spec.template.spec;
      const app = pod.containers.find((c: { name: string }) => c.name === 'edgeplane');
      const http = app.ports.find((p: { name: string }) => p.name === 'http');
      for (const [probe, path] of [
        ['startupProbe', '/health/live'],
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ]) {
        expect(app[probe as string]?.httpGet, probe).toEqual({ path, port: 'http' });
      }
      const env = containerEnv(manifests, app, set.external);
      expect(env.HOST).toBe('0.0.0.0');
      expect(Number(env.PORT)).toBe(http.containerPort);
      const preStop = Number(app.lifecycle.preStop.exec.command[1]);
      expect(app.lifecycle.preStop.exec.command[0]).toBe('sleep');
      // SIGTERM comes after preStop; the app then drains for SHUTDOWN_DRAIN_MS and closes its pools.
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + Number(env.SHUTDOWN_DRAIN_MS) / 1000);
      // The only writable path is the emptyDir at /tmp.
      expect(app.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(pod.volumes.find((v: { name: string }) => v.name === 'tmp').emptyDir).toBeDefined();
    });

    it("gives the app an environment the app's own configuration schema accepts", () => {
      const app = find(manifests, 'Deployment', 'edgeplane')?.spec.template.spec.containers[0];
      const config = parseConfig(containerEnv(manifests, app, set.external));
      expect(config.env).toBe('production');
      expect(config.auth.ephemeralKeys).toBe(false);
      expect(config.database.driver).toBe(set.expect.driver);
      expect(config.kv.driver).toBe(set.expect.kv);
      expect(config.jobs.delivery).toBe(set.expect.delivery);
      expect(config.webDir).toBe('/app/dist/web');
      expect(config.shutdownDrainMs).toBeGreaterThan(0);
    });

    it('refers only to objects it renders or the user provides', () => {
      const names = (kind: string) => new Set(all(manifests, kind).map((o) => o.metadata.name));
      const secrets = new Set([...names('Secret'), ...Object.keys(set.external)]);
      const configMaps = names('ConfigMap');
      const claims = names('PersistentVolumeClaim');
      for (const pod of podTemplates(manifests)) {
        for (const { name, container } of containersOf(pod)) {
          for (const from of container.envFrom ?? []) {
            if (from.secretRef) expect(secrets, name).toContain(from.secretRef.name);
            if (from.configMapRef) expect(configMaps, name).toContain(from.configMapRef.name);
          }
          // Throws on a Secret or key that does not exist.
          containerEnv(manifests, container, set.external);
        }
        for (const v of pod.spec.volumes ?? []) {
          if (v.configMap) expect(configMaps, pod.owner).toContain(v.configMap.name);
          if (v.persistentVolumeClaim) expect(claims, pod.owner).toContain(v.persistentVolumeClaim.claimName);
        }
      }
      const services = new Map(all(manifests, 'Service').map((s) => [s.metadata.name, s]));
      for (const ingress of all(manifests, 'Ingress')) {
        for (const rule of ingress.spec.rules) {
          for (const path of rule.http.paths) expect([...services.keys()]).toContain(path.backend.service.name);
        }
      }
      for (const hpa of all(manifests, 'HorizontalPodAutoscaler')) {
        expect(find(manifests, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name)).toBeDefined();
      }
    });

    it('selects its own pods: workload selectors, Services (with their target ports) and the PDB', () => {
      const pods = podTemplates(manifests);
      const matches = (selector: Record<string, string>) =>
        pods.filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels[k] === v));
      for (const kind of ['Deployment', 'StatefulSet']) {
        for (const w of all(manifests, kind)) {
          expect(w.spec.template.metadata.labels).toMatchObject(w.spec.selector.matchLabels);
          expect(matches(w.spec.selector.matchLabels)).toHaveLength(1);
        }
      }
      for (const svc of all(manifests, 'Service')) {
        const [target] = matches(svc.spec.selector);
        expect(target, `Service ${svc.metadata.name}`).toBeDefined();
        const portNames = target?.spec.containers.flatMap((c: { ports?: { name: string }[] }) =>
          (c.ports ?? []).map((p) => p.name),
        );
        for (const port of svc.spec.ports) expect(portNames).toContain(port.targetPort);
      }
      for (const pdb of all(manifests, 'PodDisruptionBudget')) {
        expect(matches(pdb.spec.selector.matchLabels).map((p) => p.owner)).toEqual(['Deployment edgeplane']);
      }
    });

    it(`runs migrations as a ${set.expect.migrationHooks} hook Job with the app image`, () => {
      const job = find(manifests, 'Job', 'edgeplane-migrations');
      expect(job?.metadata.annotations?.['helm.sh/hook']).toBe(set.expect.migrationHooks);
      expect(job?.metadata.annotations?.['helm.sh/hook-delete-policy']).toBe('before-hook-creation,hook-succeeded');
      const migrate = job?.spec.template.spec.containers[0];
      const app = find(manifests, 'Deployment', 'edgeplane')?.spec.template.spec.containers[0];
      expect(migrate.image).toBe(app.image);
      expect(migrate.command.slice(-2)).toEqual(['dist/node/db-cli.js', 'migrate']);
      // `migrate` opens the same database the app does.
      const appEnv = containerEnv(manifests, app, set.external);
      expect(containerEnv(manifests, migrate, set.external).DATABASE_URL).toBe(appEnv.DATABASE_URL);
      // In-cluster Postgres does not exist before install: then the app migrates at its first start.
      expect(appEnv.MIGRATE_ON_START).toBe(String(set.expect.migrationHooks === 'pre-upgrade'));
    });

    it('renders its NOTES', async () => {
      const notes = await renderNotes(helm, set.options);
      expect(notes).toContain('rollout status deployment/edgeplane');
    });
  },
);
