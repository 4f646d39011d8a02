/**
 * This process's metrics, in Prometheus' text format (served at /metrics, server/platform/http/metrics-route.ts).
 * Features call the small functions below; each only moves a number in memory, so none adds a database round trip to
 * the path it measures. Every Pagewire process keeps and serves its own: Prometheus scrapes each process.
 *
 * prom-client is not installed (dropped when nothing imported it), so this module writes the exposition format
 * itself: counters, gauges and histograms with labels, and the process metrics prom-client would collect by default.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

type Labels = Record<string, string>;
type MetricType = 'counter' | 'gauge' | 'histogram';

interface Family {
  name: string;
  help: string;
  type: MetricType;
  /** One line (or, for a histogram, its lines) per label set. */
  lines(): string[];
}

const families: Family[] = [];

const escapeLabelValue = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

const keyOf = (labels: Labels) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

function labelledValues(name: string, help: string, type: 'counter' | 'gauge') {
  const values = new Map<string, { labels: Labels; value: number }>();
  families.push({
    name,
    help,
    type,
    lines: () => [...values.values()].map(({ labels, value }) => `${name}${formatLabels(labels)} ${value}`),
  });
  return {
    add(labels: Labels, amount = 1) {
      const key = keyOf(labels);
      const entry = values.get(key) ?? { labels, value: 0 };
      entry.value += amount;
      values.set(key, entry);
    },
  };
}

function histogram(name: string, help: string, bucketBounds: number[]) {
  const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  families.push({
    name,
    help,
    type: 'histogram',
    lines: () =>
      [...series.values()].flatMap(({ labels, counts, sum, count }) => [
        ...bucketBounds.map(
          (bound, index) =>
            `${name}_bucket${formatLabels({ ...labels, le: String(bound) })} ${counts[index]}`,
        ),
        `${name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${count}`,
        `${name}_sum${formatLabels(labels)} ${sum}`,
        `${name}_count${formatLabels(labels)} ${count}`,
      ]),
  });
  return {
    observe(labels: Labels, value: number) {
      const key = keyOf(labels);
      const entry = series.get(key) ?? { labels, counts: bucketBounds.map(() => 0), sum: 0, count: 0 };
      bucketBounds.forEach((bound, index) => {
        if (value <= bound) entry.counts[index]! += 1;
      });
      entry.sum += value;
      entry.count += 1;
      series.set(key, entry);
    },
  };
}

/** A gauge read when Prometheus scrapes, from every source currently registered. */
function collectedGauge(name: string, help: string, read: () => { labels: Labels; value: number }[]) {
  families.push({
    name,
    help,
    type: 'gauge',
    lines: () => read().map(({ labels, value }) => `${name}${formatLabels(labels)} ${value}`),
  });
}

const webhookAck = histogram(
  'pagewire_webhook_ack_seconds',
  'Time from a webhook POST reaching the receiver to its answer (Meta wants 200 within seconds), by HTTP status',
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);
const webhookEventsProcessed = labelledValues(
  'pagewire_webhook_events_processed_total',
  'Webhook events whose handlers all succeeded, by kind',
  'counter',
);
const webhookEventsDead = labelledValues(
  'pagewire_webhook_events_dead_lettered_total',
  'Webhook events given up on (status dead), by kind',
  'counter',
);
const graphCalls = labelledValues(
  'pagewire_graph_calls_total',
  "Graph API calls by outcome (ok or the failure's meaning) and Meta's error code (empty when none)",
  'counter',
);
const broadcastRecipients = labelledValues(
  'pagewire_broadcast_recipients_total',
  'Broadcast recipients recorded, by status (sent, skipped, failed, unknown)',
  'counter',
);
const socketConnections = labelledValues(
  'pagewire_socket_connections',
  'Dashboard sockets connected to this process',
  'gauge',
);
socketConnections.add({}, 0);
const jobRuns = labelledValues('pagewire_job_runs_total', 'Agenda job runs started, by job', 'counter');
const jobFailures = labelledValues(
  'pagewire_job_failures_total',
  'Agenda job runs that failed, by job',
  'counter',
);

export interface PageSendQueue {
  fbPageId: string;
  queued: Record<string, number>;
  ratePerSecond: number;
}

const sendQueueSources = new Set<() => PageSendQueue[]>();
const sendQueues = () => [...sendQueueSources].flatMap((read) => read());
collectedGauge(
  'pagewire_send_queue_depth',
  'Sends waiting in the per-Page governor, by Page and priority',
  () =>
    sendQueues().flatMap(({ fbPageId, queued }) =>
      Object.entries(queued).map(([priority, value]) => ({
        labels: { fb_page_id: fbPageId, priority },
        value,
      })),
    ),
);
collectedGauge('pagewire_send_rate_per_second', 'The text send rate the governor allows each Page now', () =>
  sendQueues().map(({ fbPageId, ratePerSecond }) => ({
    labels: { fb_page_id: fbPageId },
    value: ratePerSecond,
  })),
);

export function observeWebhookAck(seconds: number, status: number): void {
  webhookAck.observe({ status: String(status) }, seconds);
}

export function countWebhookEvent(kind: string, result: 'processed' | 'dead'): void {
  (result === 'processed' ? webhookEventsProcessed : webhookEventsDead).add({ kind });
}

export function countGraphCall(outcome: string, code?: number): void {
  graphCalls.add({ outcome, code: code === undefined ? '' : String(code) });
}

export function countBroadcastRecipient(status: string): void {
  broadcastRecipients.add({ status });
}

export function countSocketConnection(change: 1 | -1): void {
  socketConnections.add({}, change);
}

export function countJobRun(job: string, result: 'started' | 'failed'): void {
  (result === 'started' ? jobRuns : jobFailures).add({ job });
}

/** Reads a send governor's queues at each scrape until the returned function is called (when it closes). */
export function watchSendQueues(read: () => PageSendQueue[]): () => void {
  sendQueueSources.add(read);
  return () => sendQueueSources.delete(read);
}

let eventLoopDelay: IntervalHistogram | undefined;

function processLines(): string[] {
  eventLoopDelay ??= monitorEventLoopDelay({ resolution: 10 });
  eventLoopDelay.enable();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const nanoseconds = (value: number) => (Number.isFinite(value) ? value / 1e9 : 0);
  const samples: [string, MetricType, string, number][] = [
    ['process_cpu_user_seconds_total', 'counter', 'User CPU time spent', cpu.user / 1e6],
    ['process_cpu_system_seconds_total', 'counter', 'System CPU time spent', cpu.system / 1e6],
    ['process_resident_memory_bytes', 'gauge', 'Resident memory size', memory.rss],
    ['process_start_time_seconds', 'gauge', 'Start time of the process since the epoch', processStartSeconds],
    ['nodejs_heap_size_total_bytes', 'gauge', 'Process heap size', memory.heapTotal],
    ['nodejs_heap_size_used_bytes', 'gauge', 'Process heap used', memory.heapUsed],
    ['nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript', memory.external],
    // Since the previous scrape (the first scrape starts measuring).
    ['nodejs_eventloop_lag_mean_seconds', 'gauge', 'Mean event loop delay', nanoseconds(eventLoopDelay.mean)],
    [
      'nodejs_eventloop_lag_p99_seconds',
      'gauge',
      '99th percentile event loop delay',
      nanoseconds(eventLoopDelay.percentile(99)),
    ],
    [
      'nodejs_eventloop_lag_max_seconds',
      'gauge',
      'Longest event loop delay',
      nanoseconds(eventLoopDelay.max),
    ],
  ];
  eventLoopDelay.reset();
  return samples.flatMap(([name, type, help, value]) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    `${name} ${value}`,
  ]);
}

const processStartSeconds = Math.round(Date.now() / 1000 - process.uptime());

export const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';

/** Every metric of this process in the text exposition format. */
export function renderMetrics(): string {
  const lines = families.flatMap((family) => [
    `# HELP ${family.name} ${family.help}`,
    `# TYPE ${family.name} ${family.type}`,
    ...family.lines(),
  ]);
  return [...lines, ...processLines(), ''].join('\n');
}
