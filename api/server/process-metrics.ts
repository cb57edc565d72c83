import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricsRegistry } from '../../core/observability/metrics-registry.ts';

/**
 * Process metrics of a Node server, under the names prom-client's defaults use, so
 * stock dashboards work. Read at scrape time.
 */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  const cpu = registry.counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time spent, in seconds.',
    labelNames: [],
  });
  const memory = registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory.', labelNames: [] });
  const heap = registry.gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'V8 heap in use.',
    labelNames: [],
  });
  const heapTotal = registry.gauge({ name: 'nodejs_heap_size_total_bytes', help: 'V8 heap size.', labelNames: [] });
  const started = registry.gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since the Unix epoch, in seconds.',
    labelNames: [],
  });
  const lag = registry.gauge({
    name: 'nodejs_eventloop_lag_p99_seconds',
    help: '99th percentile of event loop delay since the previous scrape.',
    labelNames: [],
  });
  const info = registry.gauge({ name: 'nodejs_version_info', help: 'Node.js version.', labelNames: ['version'] });

  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  let lastCpu = 0;
  registry.collect(() => {
    const usage = process.cpuUsage();
    const total = (usage.user + usage.system) / 1e6;
    cpu.inc({}, total - lastCpu);
    lastCpu = total;
    const mem = process.memoryUsage();
    memory.set({}, mem.rss);
    heap.set({}, mem.heapUsed);
    heapTotal.set({}, mem.heapTotal);
    started.set({}, startSeconds);
    lag.set({}, delay.percentile(99) / 1e9);
    delay.reset();
    info.set({ version: process.version }, 1);
  });
}
