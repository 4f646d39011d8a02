/**
 * This process's metrics for Prometheus (served at /metrics, server/platform/http/metrics-route.ts), on prom-client.
 * Features call the small functions below; each only moves a number in memory, so none adds a database round trip to
 * the path it measures. Every Pagewire process keeps its own. A process of `npm run start:cluster` serves the whole
 * cluster's (cluster-metrics.ts); processes started apart (several machines) are each scraped.
 */
import cluster from 'node:cluster';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { joinClusterMetrics } from './cluster-metrics';

const registry = new Registry();
// CPU, memory, heap, handles, garbage collection and event-loop lag, as prom-client measures them.
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

const webhookAck = new Histogram({
  name: 'pagewire_webhook_ack_seconds',
  help: 'Time from a webhook POST reaching the receiver to its answer (Meta wants 200 within seconds), by HTTP status',
  labelNames: ['status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
const webhookEvents = {
  processed: new Counter({
    name: 'pagewire_webhook_events_processed_total',
    help: 'Webhook events whose handlers all succeeded, by kind',
    labelNames: ['kind'],
    registers: [registry],
  }),
  dead: new Counter({
    name: 'pagewire_webhook_events_dead_lettered_total',
    help: 'Webhook events given up on (status dead), by kind',
    labelNames: ['kind'],
    registers: [registry],
  }),
};
const graphCalls = new Counter({
  name: 'pagewire_graph_calls_total',
  help: "Graph API calls by outcome (ok or the failure's meaning) and Meta's error code (empty when none)",
  labelNames: ['outcome', 'code'],
  registers: [registry],
});
const broadcastRecipients = new Counter({
  name: 'pagewire_broadcast_recipients_total',
  help: 'Broadcast recipients recorded, by status (sent, skipped, failed, unknown)',
  labelNames: ['status'],
  registers: [registry],
});
const socketConnections = new Gauge({
  name: 'pagewire_socket_connections',
  help: 'Dashboard sockets connected to this process',
  registers: [registry],
});
const jobRuns = {
  started: new Counter({
    name: 'pagewire_job_runs_total',
    help: 'Agenda job runs started, by job',
    labelNames: ['job'],
    registers: [registry],
  }),
  failed: new Counter({
    name: 'pagewire_job_failures_total',
    help: 'Agenda job runs that failed, by job',
    labelNames: ['job'],
    registers: [registry],
  }),
};

export interface PageSendQueue {
  fbPageId: string;
  queued: Record<string, number>;
  ratePerSecond: number;
}

const sendQueueSources = new Set<() => PageSendQueue[]>();
const sendQueues = () => [...sendQueueSources].flatMap((read) => read());
// Read from the governors when Prometheus scrapes.
new Gauge({
  name: 'pagewire_send_queue_depth',
  help: 'Sends waiting in the per-Page governor, by Page and priority',
  labelNames: ['fb_page_id', 'priority'],
  registers: [registry],
  collect() {
    this.reset();
    for (const { fbPageId, queued } of sendQueues())
      for (const [priority, value] of Object.entries(queued))
        this.set({ fb_page_id: fbPageId, priority }, value);
  },
});
new Gauge({
  name: 'pagewire_send_rate_per_second',
  help: 'The text send rate the governor allows each Page now',
  labelNames: ['fb_page_id'],
  registers: [registry],
  // Each process of a cluster allows a Page the same rate: not a sum.
  aggregator: 'max',
  collect() {
    this.reset();
    for (const { fbPageId, ratePerSecond } of sendQueues()) this.set({ fb_page_id: fbPageId }, ratePerSecond);
  },
});

export function observeWebhookAck(seconds: number, status: number): void {
  webhookAck.observe({ status: String(status) }, seconds);
}

export function countWebhookEvent(kind: string, result: 'processed' | 'dead'): void {
  webhookEvents[result].inc({ kind });
}

export function countGraphCall(outcome: string, code?: number): void {
  graphCalls.inc({ outcome, code: code === undefined ? '' : String(code) });
}

export function countBroadcastRecipient(status: string): void {
  broadcastRecipients.inc({ status });
}

export function countSocketConnection(change: 1 | -1): void {
  socketConnections.inc(change);
}

export function countJobRun(job: string, result: 'started' | 'failed'): void {
  jobRuns[result].inc({ job });
}

/** Reads a send governor's queues at each scrape until the returned function is called (when it closes). */
export function watchSendQueues(read: () => PageSendQueue[]): () => void {
  sendQueueSources.add(read);
  return () => sendQueueSources.delete(read);
}

export const metricsContentType = registry.contentType;

const clusterMetrics = cluster.isWorker ? joinClusterMetrics(registry) : undefined;

/** Every metric of this process, or of its whole cluster, in the text exposition format. */
export function renderMetrics(): Promise<string> {
  return clusterMetrics ? clusterMetrics() : registry.metrics();
}
