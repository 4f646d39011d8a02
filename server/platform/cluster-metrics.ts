/**
 * Metrics under `npm run start:cluster` (server/cluster.ts), where node:cluster hands each scrape to whichever process
 * takes the connection: that process asks the primary, which collects every serving process's metrics over IPC and
 * combines them with prom-client's AggregatorRegistry (counters and histograms summed, other rules per metric), so any
 * scrape of the shared port sees the whole cluster.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { ServiceUnavailable } from './errors';

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

type MetricsMessage =
  /** A process was scraped: it asks the primary for the whole cluster's metrics. */
  | { type: 'pagewire:metrics:scrape'; id: number }
  /** The primary asks each serving process for its own. */
  | { type: 'pagewire:metrics:collect'; id: number }
  | { type: 'pagewire:metrics:own'; id: number; metrics?: MetricsJson; error?: string }
  /** The primary's answer to a scrape. */
  | { type: 'pagewire:metrics:cluster'; id: number; text?: string; error?: string };

const isMetricsMessage = (message: unknown): message is MetricsMessage =>
  typeof message === 'object' &&
  message !== null &&
  String((message as { type?: unknown }).type).startsWith('pagewire:metrics:');

/** Longer than a process takes to read its registry, shorter than Prometheus's 10 s scrape timeout. */
const answerTimeoutMs = 5_000;

interface Waiting<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

function waitFor<T>(waiting: Map<number, Waiting<T>>, id: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new ServiceUnavailable(`${what} did not answer within ${answerTimeoutMs} ms`));
    }, answerTimeoutMs);
    waiting.set(id, {
      resolve: (value) => (clearTimeout(timer), waiting.delete(id), resolve(value)),
      reject: (error) => (clearTimeout(timer), waiting.delete(id), reject(error)),
    });
  });
}

/**
 * In a cluster process: answers the primary's requests for this process's metrics, and returns how to ask the
 * primary for the whole cluster's.
 */
export function joinClusterMetrics(registry: Registry): () => Promise<string> {
  const scrapes = new Map<number, Waiting<string>>();
  let nextId = 0;
  const send = (message: MetricsMessage) => process.send?.(message);
  process.on('message', (message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === 'pagewire:metrics:collect') {
      registry.getMetricsAsJSON().then(
        (metrics) => send({ type: 'pagewire:metrics:own', id: message.id, metrics }),
        (error: unknown) => send({ type: 'pagewire:metrics:own', id: message.id, error: String(error) }),
      );
    } else if (message.type === 'pagewire:metrics:cluster') {
      const waiting = scrapes.get(message.id);
      if (message.text !== undefined) waiting?.resolve(message.text);
      else waiting?.reject(new ServiceUnavailable(`The cluster's metrics: ${message.error ?? 'none'}`));
    }
  });
  return () => {
    const id = nextId++;
    const answered = waitFor(scrapes, id, 'The cluster primary');
    send({ type: 'pagewire:metrics:scrape', id });
    return answered;
  };
}

/** In the primary: answers each process's scrape with the metrics of every process `serving()` lists. */
export function aggregateClusterMetrics(serving: () => Worker[]): void {
  const collections = new Map<number, Waiting<MetricsJson>>();
  let nextId = 0;

  async function collectFrom(worker: Worker): Promise<MetricsJson> {
    const id = nextId++;
    const answered = waitFor(collections, id, `Pagewire process ${worker.process.pid}`);
    worker.send({ type: 'pagewire:metrics:collect', id } satisfies MetricsMessage);
    return answered;
  }

  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === 'pagewire:metrics:own') {
      const waiting = collections.get(message.id);
      if (message.metrics) waiting?.resolve(message.metrics);
      else waiting?.reject(new Error(message.error ?? 'no metrics'));
    } else if (message.type === 'pagewire:metrics:scrape') {
      const answer = (reply: { text?: string; error?: string }) => {
        if (worker.isConnected()) worker.send({ type: 'pagewire:metrics:cluster', id: message.id, ...reply });
      };
      Promise.all(serving().map(collectFrom))
        .then((each) => AggregatorRegistry.aggregate(each).metrics())
        .then(
          (text) => answer({ text }),
          (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
        );
    }
  });
}
