/**
 * A small metrics registry that renders the Prometheus text format and snapshots
 * for OTLP. In-house because prom-client is Node-only (it imports node:cluster,
 * node:v8, perf_hooks), and this core must also run on workerd without nodejs_compat.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Seconds, bytes…: added to OTLP exports (Prometheus carries it in the name). */
  unit?: string;
}

/** One labelled time series of a metric, as exporters read it. */
export interface SeriesSnapshot {
  labels: Record<string, string>;
  /** Counter and gauge value. */
  value: number;
  /** Histogram: count per bucket (not cumulative; the last is +Inf), sum and count. */
  buckets?: number[];
  sum?: number;
  count?: number;
}

export interface MetricSnapshot {
  name: string;
  help: string;
  type: MetricType;
  unit?: string;
  bounds?: readonly number[];
  series: SeriesSnapshot[];
}

/** Label values used instead of the real ones once a metric has too many series. */
export const OVERFLOW_LABEL = 'other';

interface Series {
  labels: string[];
  value: number;
  buckets?: number[];
  sum?: number;
}

abstract class Metric<L extends string> {
  protected readonly series = new Map<string, Series>();
  constructor(
    readonly definition: MetricDefinition<L>,
    readonly type: MetricType,
    private readonly maxSeries: number,
  ) {}

  protected seriesFor(labels: Record<L, string>): Series {
    const values = this.definition.labelNames.map((n) => labels[n] ?? '');
    const key = values.join('\u0001');
    const s = this.series.get(key);
    if (s) return s;
    if (this.series.size < this.maxSeries) return this.add(key, values);
    // A bug elsewhere (a raw path or id as a label) must not grow memory without bound.
    const overflow = values.map(() => OVERFLOW_LABEL);
    const overflowKey = overflow.join('\u0001');
    return this.series.get(overflowKey) ?? this.add(overflowKey, overflow);
  }

  private add(key: string, values: string[]): Series {
    const s = this.create(values);
    this.series.set(key, s);
    return s;
  }

  protected create(labels: string[]): Series {
    return { labels, value: 0 };
  }

  snapshot(): MetricSnapshot {
    const { name, help, unit, labelNames } = this.definition;
    return {
      name,
      help,
      type: this.type,
      unit,
      bounds: this.bounds(),
      series: [...this.series.values()].map((s) => ({
        labels: Object.fromEntries(labelNames.map((n, i) => [n, s.labels[i] as string])),
        value: s.value,
        buckets: s.buckets && [...s.buckets],
        sum: s.sum,
        count: s.buckets ? s.value : undefined,
      })),
    };
  }

  protected bounds(): readonly number[] | undefined {
    return undefined;
  }

  /** Forgets every series (after a delta export). */
  reset(): void {
    this.series.clear();
  }
}

export class Counter<L extends string = never> extends Metric<L> {
  inc(labels: Record<L, string>, by = 1): void {
    this.seriesFor(labels).value += by;
  }
}

export class Gauge<L extends string = never> extends Metric<L> {
  set(labels: Record<L, string>, value: number): void {
    this.seriesFor(labels).value = value;
  }
}

export class Histogram<L extends string = never> extends Metric<L> {
  constructor(
    definition: MetricDefinition<L>,
    maxSeries: number,
    readonly buckets: readonly number[],
  ) {
    super(definition, 'histogram', maxSeries);
  }

  protected override create(labels: string[]): Series {
    return { labels, value: 0, sum: 0, buckets: new Array(this.buckets.length + 1).fill(0) };
  }

  protected override bounds() {
    return this.buckets;
  }

  observe(labels: Record<L, string>, value: number): void {
    const s = this.seriesFor(labels);
    let i = 0;
    while (i < this.buckets.length && value > (this.buckets[i] as number)) i++;
    const buckets = s.buckets as number[];
    buckets[i] = (buckets[i] ?? 0) + 1;
    s.sum = (s.sum as number) + value;
    s.value++;
  }
}

export interface RegistryOptions {
  /** Series per metric before new label sets go to the overflow series (default 500). */
  maxSeries?: number;
}

/** Holds metrics; renders them for Prometheus, or snapshots them for a push exporter. */
export class MetricsRegistry {
  private readonly metrics: Metric<string>[] = [];
  private readonly collectors: (() => Promise<void> | void)[] = [];
  private readonly maxSeries: number;

  constructor(options: RegistryOptions = {}) {
    this.maxSeries = options.maxSeries ?? 500;
  }

  counter<L extends string = never>(definition: MetricDefinition<L>): Counter<L> {
    return this.add(new Counter(definition, 'counter', this.maxSeries));
  }

  gauge<L extends string = never>(definition: MetricDefinition<L>): Gauge<L> {
    return this.add(new Gauge(definition, 'gauge', this.maxSeries));
  }

  histogram<L extends string = never>(definition: MetricDefinition<L> & { buckets: readonly number[] }): Histogram<L> {
    return this.add(new Histogram(definition, this.maxSeries, definition.buckets));
  }

  /** Runs before every render or snapshot: sets gauges read from elsewhere (queue depth, process memory). */
  collect(collector: () => Promise<void> | void): void {
    this.collectors.push(collector);
  }

  /** The names of every registered metric. */
  names(): string[] {
    return this.metrics.map((m) => m.definition.name);
  }

  async snapshot(): Promise<MetricSnapshot[]> {
    await Promise.all(this.collectors.map((c) => c()));
    return this.metrics.map((m) => m.snapshot());
  }

  /** Forgets every series: what a delta push does after each export (a gauge is sent once, when set). */
  reset(): void {
    for (const m of this.metrics) m.reset();
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const metric of await this.snapshot()) renderMetric(metric, lines);
    return `${lines.join('\n')}\n`;
  }

  private add<M extends Metric<string>>(metric: M): M {
    if (this.metrics.some((m) => m.definition.name === metric.definition.name)) {
      throw new Error(`metric ${metric.definition.name} is registered twice`);
    }
    this.metrics.push(metric);
    return metric;
  }
}

/** The content type of `render()`'s output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const formatValue = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Number.POSITIVE_INFINITY ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

function labelText(labels: Record<string, string>, extra?: [string, string]): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  if (extra) pairs.push(`${extra[0]}="${extra[1]}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

function renderMetric(metric: MetricSnapshot, lines: string[]): void {
  lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`);
  for (const s of metric.series) {
    if (metric.type !== 'histogram') {
      lines.push(`${metric.name}${labelText(s.labels)} ${formatValue(s.value)}`);
      continue;
    }
    let cumulative = 0;
    const bounds = metric.bounds ?? [];
    (s.buckets ?? []).forEach((n, i) => {
      cumulative += n;
      const le = i < bounds.length ? String(bounds[i]) : '+Inf';
      lines.push(`${metric.name}_bucket${labelText(s.labels, ['le', le])} ${cumulative}`);
    });
    lines.push(`${metric.name}_sum${labelText(s.labels)} ${formatValue(s.sum ?? 0)}`);
    lines.push(`${metric.name}_count${labelText(s.labels)} ${s.count ?? 0}`);
  }
}
