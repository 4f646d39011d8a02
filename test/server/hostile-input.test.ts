/**
 * Every route of the running app, called by a logged-in admin (CSRF token and all) with what an attacker or a broken
 * client sends: bodies of the wrong shape, deep nesting, huge strings, prototype keys, ids that are no ids. Each answer
 * is a 4xx or a success, never a 5xx, and the process keeps answering its probes.
 */
import { listMountedRoutes } from '../../server/platform/http/route-inventory';
import { startVictimWorkspace, type VictimWorkspace } from './accounts/victim-workspace';
import { useTestDatabase } from '../support/database';

/** `{"text": {"a": [{"a": [ ... "bottom" ... ]}]}}`, written out: JSON.stringify itself overflows at this depth. */
const nestedJson = (depth: number) =>
  `{"text":${'{"a":['.repeat(depth / 2)}"bottom"${']}'.repeat(depth / 2)}}`;

const hostileBodies: { name: string; body: string }[] = [
  { name: 'not JSON', body: '{"text": "unterminated' },
  { name: 'a JSON string', body: '"hello"' },
  { name: 'a JSON array', body: '[1, 2, 3]' },
  { name: 'null', body: 'null' },
  { name: '5,000-deep nesting', body: nestedJson(5_000) },
  {
    name: 'every usual field of the wrong type',
    body: JSON.stringify({
      text: [['nested'], { a: 1 }],
      name: { $gt: '' },
      type: 42,
      fbPageIds: 'not-an-array',
      pages: [{ $ne: null }],
      tags: { 0: 'a' },
      customFields: [1, 2],
      role: ['admin'],
      scope: null,
      priority: 'high',
      assigneeId: { $ne: null },
      localTime: 12,
      timeZone: 'Mars/Olympus',
      audience: 'everyone',
      purpose: { promotional: true },
      greeting: -0.5,
    }),
  },
  { name: 'prototype keys', body: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' },
  { name: 'a huge string', body: JSON.stringify({ text: 'x'.repeat(900_000), name: 'y'.repeat(50_000) }) },
  { name: 'unpaired surrogates and NUL', body: '{"text": "\\ud800\\u0000\\udfff", "name": "\\u0000"}' },
];

const hostileIds = [
  'nope',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  '%2e%2e%2f',
  'x'.repeat(5_000),
];

describe('hostile input on every route', () => {
  useTestDatabase();
  let world: VictimWorkspace;

  beforeAll(async () => {
    world = await startVictimWorkspace();
  }, 60_000);
  afterAll(() => world.stop());

  it('answers every route with a 4xx or a success, never a 5xx, and stays up', async () => {
    const routes = listMountedRoutes(world.app.server().app).filter(
      (route) => route.path.startsWith('/api/') && route.path !== '/auth/logout',
    );
    expect(routes.length).toBeGreaterThan(30);
    const { alice } = world;
    const serverErrors: string[] = [];
    const statuses = new Map<number, number>();
    for (const route of routes) {
      const paths = route.path.includes(':')
        ? hostileIds.map((id) => route.path.replace(/:[A-Za-z]+/g, id))
        : [route.path];
      for (const path of paths) {
        const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        const bodies = method === 'get' ? [{ name: 'query', body: '' }] : hostileBodies;
        for (const { name, body } of bodies) {
          const call = alice.agent[method](
            method === 'get' ? `${path}?limit=-1&cursor=%7B%24gt%7D&q[$ne]=1&pageId=../..` : path,
          ).set(alice.csrf);
          const response = await (method === 'get'
            ? call
            : call.set('content-type', 'application/json').send(body));
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500)
            serverErrors.push(`${route.method} ${path.slice(0, 80)} (${name}): ${response.status}`);
        }
      }
    }
    expect(serverErrors).toEqual([]);
    // The calls got past the session and CSRF checks to the validation and lookups they probe.
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(statuses.get(404)).toBeGreaterThan(10);
    expect(statuses.get(403) ?? 0).toBeLessThan(statuses.get(400) ?? 0);
    process.stdout.write(
      `hostile input: answers by status ${JSON.stringify(Object.fromEntries(statuses))}\n`,
    );
    const healthz = await fetch(`${world.app.url}/healthz`);
    expect(healthz.status).toBe(200);
  }, 300_000);
});
