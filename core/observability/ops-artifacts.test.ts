import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerProcessMetrics } from '../../api/server/process-metrics.ts';
import { createAppMetrics } from './app-metrics.ts';

const read = (name: string) => readFileSync(new URL(`../../k8s/observability/${name}`, import.meta.url), 'utf8');

/** Every series name the app exports: its metrics, histogram parts, and the Node process metrics. */
function exportedNames(): Set<string> {
  const { registry } = createAppMetrics();
  registerProcessMetrics(registry);
  const names = new Set<string>();
  for (const name of registry.names()) {
    names.add(name);
    for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** Metrics that come from kube-state-metrics, not from the app. */
const KUBE_STATE_METRICS = new Set(['kube_pod_container_status_restarts_total']);

const FUNCTIONS_AND_KEYWORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'clamp_min',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

/**
 * The metric names a PromQL expression reads, after checking that its brackets
 * balance. Strings, label matchers, range selectors and grouping lists are removed
 * first; what is left that is neither a function, a keyword nor a number is a metric.
 */
function metricNames(expr: string): string[] {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const ch of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) throw new Error(`unbalanced ${ch} in ${expr}`);
  }
  if (stack.length) throw new Error(`unclosed ${stack.join('')} in ${expr}`);
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]);
  return names.filter((n) => !FUNCTIONS_AND_KEYWORDS.has(n) && !/^\d/.test(n) && n !== 'e');
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}

describe('k8s/observability', () => {
  const exported = exportedNames();
  const known = (name: string) => exported.has(name) || KUBE_STATE_METRICS.has(name);

  it('Should have alert rules that parse, are complete and read only metrics the app exports', () => {
    const file = parse(read('prometheus-rules.yaml')) as { groups: { name: string; rules: Rule[] }[] };
    const rules = file.groups.flatMap((g) => g.rules);
    const alerts = rules.map((r) => r.alert);
    expect(new Set(alerts).size).toBe(alerts.length);
    // What the issue asks alerts for: errors, latency, job failures and dead jobs, backlog, restarts, database.
    for (const wanted of [
      'ErrorRate',
      'LatencyP99',
      'JobFailures',
      'DeadJobs',
      'QueueBacklog',
      'PodRestarts',
      'DatabaseDown',
    ]) {
      expect(
        alerts.some((a) => a.includes(wanted)),
        wanted,
      ).toBe(true);
    }
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(0);
      expect(rule.annotations.description.length).toBeGreaterThan(0);
      if (rule.for) expect(rule.for).toMatch(/^\d+[smh]$/);
      const names = metricNames(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      expect(
        names.filter((n) => !known(n)),
        rule.alert,
      ).toEqual([]);
    }
  });

  it('Should have a dashboard whose every panel queries metrics the app exports', () => {
    const dashboard = JSON.parse(read('grafana-dashboard.json')) as {
      uid: string;
      templating: { list: { name: string; type: string }[] };
      panels: {
        id: number;
        type: string;
        title: string;
        gridPos: { x: number; w: number };
        targets?: { refId: string; expr: string }[];
      }[];
    };
    expect(dashboard.uid).toBe('edgeplane-overview');
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(expect.arrayContaining(['Traffic', 'Errors', 'Latency', 'Jobs', 'Queue', 'Database']));
    const queried = new Set<string>();
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        const names = metricNames(target.expr.replaceAll('$__rate_interval', '5m'));
        expect(
          names.filter((n) => !known(n)),
          panel.title,
        ).toEqual([]);
        for (const n of names) queried.add(n);
      }
    }
    for (const core of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'job_runs_total',
      'jobs_queue_depth',
      'database_up',
    ]) {
      expect(queried.has(core), core).toBe(true);
    }
  });

  it('Should notice a rule that reads a metric the app does not export', () => {
    expect(
      metricNames('sum(rate(http_requests_total{status="5xx"}[5m])) / sum by (route) (rate(made_up_total[5m]))'),
    ).toEqual(['http_requests_total', 'made_up_total']);
    expect(() => metricNames('sum(rate(http_requests_total[5m])')).toThrow(/unclosed/);
  });
});
