import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

export const PAGE_ID = '500100200300400';
export const OTHER_PAGE_ID = '500100200300999';
export const ADMIN_ID = '10150000000000001';
export const ALL_FIELDS = [
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'message_reactions',
  'messaging_postbacks',
  'messaging_optins',
  'messaging_referrals',
  'messaging_handovers',
  'standby',
  'messaging_policy_enforcement',
  'feed',
];

export interface World {
  sim: Simulator;
  graph: AxiosInstance;
  pageToken: string;
}

/** A simulator with one Page (app installed for every field), one admin and two people. */
export async function startWorld(options: SimulatorOptions = {}): Promise<World> {
  const sim = await startSimulator({
    seed: {
      pages: [
        { id: PAGE_ID, name: 'Test Bakery', adminUserIds: [ADMIN_ID], subscribedFields: ALL_FIELDS },
        { id: OTHER_PAGE_ID, name: 'Other Page', adminUserIds: [] },
      ],
      users: [{ id: ADMIN_ID, name: 'Ada Admin', email: 'ada@example.com' }],
      people: [
        { id: 'alice', firstName: 'Alice', lastName: 'Martin' },
        { id: 'bjorn', firstName: 'Björn', lastName: 'Åberg' },
      ],
    },
    ...options,
  });
  const info = await sim.control.info();
  const pageToken = info.pages.find((page) => page.id === PAGE_ID)?.accessToken ?? '';
  const graph = axios.create({ baseURL: `${sim.url}/${sim.apiVersion}`, validateStatus: () => true });
  return { sim, graph, pageToken };
}

export function send(world: World, body: Record<string, unknown>, token = world.pageToken) {
  return world.graph.post(`/${PAGE_ID}/messages`, body, { params: { access_token: token } });
}

export function textTo(psid: string, text = 'Hello', extra: Record<string, unknown> = {}) {
  return { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text }, ...extra };
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: { object: string; entry: Record<string, unknown>[] };
}

/** A tiny webhook receiver that keeps the raw bytes; `respond` picks the status for each POST. */
export class Receiver {
  readonly received: Received[] = [];
  respond: (count: number) => number = () => 200;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (req.method === 'GET') {
          res.end(
            url.searchParams.get('hub.verify_token') === 'verify-me'
              ? url.searchParams.get('hub.challenge')
              : '',
          );
          return;
        }
        const raw = Buffer.concat(chunks);
        this.received.push({
          headers: req.headers,
          raw,
          json: JSON.parse(raw.toString('utf8')) as Received['json'],
        });
        res.statusCode = this.respond(this.received.length);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
    return this;
  }

  /** messaging[] / standby[] events of every received POST, in arrival order. */
  events(key: 'messaging' | 'standby' = 'messaging'): Record<string, unknown>[] {
    return this.received.flatMap((post) =>
      post.json.entry.flatMap((entry) => (entry[key] as Record<string, unknown>[] | undefined) ?? []),
    );
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export function hmacHex(algorithm: 'sha256' | 'sha1', secret: string, body: Buffer): string {
  return createHmac(algorithm, secret).update(body).digest('hex');
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
