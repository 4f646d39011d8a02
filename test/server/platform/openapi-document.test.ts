import express, { Router } from 'express';
import request from 'supertest';
import { apiKeyScopes } from '../../../models/api-key';
import { keyScopesFor } from '../../../server/api-keys/key-scopes';
import { listMountedRoutes } from '../../../server/platform/http/route-inventory';
import { openApiPath, type OpenApiDocument } from '../../../server/platform/openapi/openapi-document';
import { useTestDatabase } from '../../support/database';
import { loadContract, type Contract } from '../../support/openapi-contract';
import {
  blockBody,
  captureBody,
  draftBody,
  ruleBody,
  startVictimWorkspace,
  type Fixtures,
  type VictimWorkspace,
} from '../accounts/victim-workspace';

const documented = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

/** The /api routes the app mounts that the document lacks, and the documented ones nothing mounts. */
function inventoryGaps(app: express.Express, document: OpenApiDocument) {
  const mounted = listMountedRoutes(app, '/api').map((route) => `${route.method} ${openApiPath(route.path)}`);
  const inDocument = documented(document);
  return {
    undocumented: mounted.filter((route) => !inDocument.includes(route)),
    notMounted: inDocument.filter((route) => !mounted.includes(route)),
  };
}

/** Requests as the owning admin, one feature after another: `METHOD /path` with the fixtures it names (`:page`), and a body. */
const flows: [key: string, path: string, body: ((f: Fixtures) => object) | null][] = [
  ['GET /api/permissions', '/api/permissions', null],
  ['GET /api/csrf-token', '/api/csrf-token', null],
  ['GET /api/sandbox', '/api/sandbox', null],
  ['GET /api/me', '/api/me', null],
  ['GET /api/workspaces', '/api/workspaces', null],
  ['GET /api/members', '/api/members', null],
  ['GET /api/teams', '/api/teams', null],
  ['GET /api/members/:userId/pages', '/api/members/:member/pages', null],
  ['POST /api/invitations', '/api/invitations', () => ({ role: 'agent' })],
  ['GET /api/invitations', '/api/invitations', null],
  ['GET /api/pages', '/api/pages', null],
  ['GET /api/pages/available', '/api/pages/available', null],
  ['GET /api/pages/:id', '/api/pages/:page', null],
  [
    'POST /api/pages/:id/automation-pause',
    '/api/pages/:page/automation-pause',
    () => ({ note: 'Stock count' }),
  ],
  ['DELETE /api/pages/:id/automation-pause', '/api/pages/:page/automation-pause', null],
  ['GET /api/conversations', '/api/conversations', null],
  ['GET /api/conversations/:id', '/api/conversations/:conversation', null],
  ['GET /api/conversations/:id/messages', '/api/conversations/:conversation/messages', null],
  [
    'POST /api/conversations/:id/messages',
    '/api/conversations/:conversation/messages',
    () => ({ type: 'text', text: 'Hi!' }),
  ],
  ['POST /api/conversations/:id/notes', '/api/conversations/:conversation/notes', () => ({ text: 'Sizes.' })],
  [
    'POST /api/conversations/:id/assign',
    '/api/conversations/:conversation/assign',
    (f) => ({ assigneeId: f.admin }),
  ],
  ['POST /api/conversations/:id/resolve', '/api/conversations/:conversation/resolve', null],
  [
    'POST /api/conversations/:id/presence',
    '/api/conversations/:conversation/presence',
    () => ({ viewing: true }),
  ],
  ['GET /api/subscribers', '/api/subscribers', null],
  ['GET /api/subscribers/:id', '/api/subscribers/:subscriber', null],
  ['PUT /api/subscribers/:id/tags', '/api/subscribers/:subscriber/tags', () => ({ tags: ['vip'] })],
  [
    'PATCH /api/subscribers/:id/custom-fields',
    '/api/subscribers/:subscriber/custom-fields',
    () => ({ customFields: { city: 'Lyon' } }),
  ],
  ['GET /api/broadcasts', '/api/broadcasts', null],
  ['POST /api/broadcasts', '/api/broadcasts', (f) => draftBody(f.page, 'Contract sale')],
  ['GET /api/broadcasts/:id', '/api/broadcasts/:broadcast', null],
  ['GET /api/broadcasts/:id/estimate', '/api/broadcasts/:broadcast/estimate', null],
  ['GET /api/broadcasts/:id/results', '/api/broadcasts/:broadcastSending/results', null],
  ['GET /api/broadcasts/:id/recipients', '/api/broadcasts/:broadcastSending/recipients', null],
  [
    'POST /api/broadcasts/:id/schedule',
    '/api/broadcasts/:broadcast/schedule',
    () => ({ localTime: '2099-03-01T09:00', timeZone: 'Europe/Paris' }),
  ],
  ['GET /api/broadcasts/audience-options', '/api/broadcasts/audience-options', null],
  [
    'POST /api/broadcasts/content-check',
    '/api/broadcasts/content-check',
    () => ({ content: { type: 'text', text: '' } }),
  ],
  ['GET /api/bot/blocks', '/api/bot/blocks', null],
  ['POST /api/bot/blocks', '/api/bot/blocks', (f) => blockBody(f.page, 'Contract block')],
  ['GET /api/bot/blocks/:id', '/api/bot/blocks/:block', null],
  ['GET /api/bot/rules', '/api/bot/rules', null],
  ['POST /api/bot/rules', '/api/bot/rules', (f) => ruleBody(f.page, f.block)],
  ['GET /api/bot/rules/:id', '/api/bot/rules/:rule', null],
  ['GET /api/bot/flow/:pageId', '/api/bot/flow/:page', null],
  ['GET /api/bot/profile/:pageId', '/api/bot/profile/:page', null],
  ['GET /api/captures', '/api/captures', null],
  ['POST /api/captures', '/api/captures', (f) => captureBody(f.page, 'Contract capture')],
  ['GET /api/captures/:id', '/api/captures/:capture', null],
  ['GET /api/captures/:id/outcomes', '/api/captures/:capture/outcomes', null],
  ['GET /api/audit', '/api/audit', null],
  ['GET /api/audit/export', '/api/audit/export', null],
  ['GET /api/compliance/refusals', '/api/compliance/refusals', null],
  ['GET /api/compliance/opt-outs', '/api/compliance/opt-outs', null],
  ['GET /api/overview/activity', '/api/overview/activity', null],
  ['GET /api/overview/first-response', '/api/overview/first-response', null],
  ['GET /api/overview/subscribers', '/api/overview/subscribers', null],
  ['GET /api/overview/waiting', '/api/overview/waiting', null],
  ['GET /api/overview/broadcasts', '/api/overview/broadcasts', null],
];

describe('the OpenAPI document', () => {
  useTestDatabase();
  let world: VictimWorkspace;
  let contract: Contract;

  beforeAll(async () => {
    // In the sandbox, so that its routes are in the inventory too.
    world = await startVictimWorkspace({ SANDBOX: '1' });
    contract = await loadContract(world.app.url);
  }, 30_000);
  afterAll(() => world.stop());

  it('is served without a session, as OpenAPI 3.1 with the session and API key schemes, and the scope a key needs', async () => {
    const res = await request(world.app.url).get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.components.securitySchemes)).toEqual([
      'sessionCookie',
      'csrfHeader',
      'bearerAuth',
    ]);
    expect(res.body.components.securitySchemes.bearerAuth['x-scopes']).toEqual(apiKeyScopes);
    const securityOf = (method: string, path: string) => res.body.paths[path][method].security;
    expect(securityOf('post', '/api/conversations/{id}/messages')).toEqual([
      { sessionCookie: [], csrfHeader: [] },
      { bearerAuth: ['conversations'] },
    ]);
    // A read of an area: its scope, or read.
    expect(securityOf('get', '/api/broadcasts/{id}')).toEqual([
      { sessionCookie: [] },
      { bearerAuth: ['broadcasts'] },
      { bearerAuth: ['read'] },
    ]);
    expect(securityOf('get', '/api/pages')).toEqual([{ sessionCookie: [] }, { bearerAuth: ['read'] }]);
    // Connecting Pages, switching workspaces, members and the keys themselves: the session only.
    expect(securityOf('post', '/api/pages')).toEqual([{ sessionCookie: [], csrfHeader: [] }]);
    expect(securityOf('post', '/api/session/workspace')).toEqual([{ sessionCookie: [], csrfHeader: [] }]);
    expect(securityOf('get', '/api/members')).toEqual([{ sessionCookie: [] }]);
    expect(securityOf('post', '/api/sandbox/messages')).toEqual([{ sessionCookie: [], csrfHeader: [] }]);
    expect(securityOf('get', '/api/permissions')).toEqual([]);
    expect(res.body.paths['/api/pages/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
  });

  it("each operation's security is what the table of key scopes opens it to, and public means public to both", () => {
    const disagreements = Object.entries(contract.document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, operation]) => {
        const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/gu, ':$1')}`;
        const security = operation.security as Record<string, string[]>[];
        const keyScopes = security.flatMap((requirement) => requirement.bearerAuth ?? []);
        const table = keyScopesFor(route);
        const agrees =
          security.length === 0
            ? // The CSRF token: anyone may ask, it starts a session; a key has no use for one and is refused.
              table === 'public' || (route === 'GET /api/csrf-token' && table === 'session-only')
            : table === 'session-only'
              ? keyScopes.length === 0
              : JSON.stringify(keyScopes) === JSON.stringify(table);
        return agrees
          ? []
          : [`${route}: document ${JSON.stringify(security)}, table ${JSON.stringify(table)}`];
      }),
    );
    expect(disagreements).toEqual([]);
  });

  it("lists every mounted /api route, the sandbox's included, and only those", () => {
    expect(documented(contract.document)).toContain('POST /api/sandbox/clock/advance');
    expect(inventoryGaps(world.app.server().app, contract.document)).toEqual({
      undocumented: [],
      notMounted: [],
    });
  });

  it('a route mounted without documentation is caught', () => {
    const api = Router();
    api.get('/pages', () => undefined);
    api.post('/undocumented/:id', () => undefined);
    const app = express();
    app.use('/api', api);
    expect(inventoryGaps(app, contract.document).undocumented).toEqual(['POST /api/undocumented/{id}']);
  });

  it('every answer with a body has its schema', () => {
    const unshaped = Object.entries(contract.document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, operation]) =>
        Object.entries(
          operation.responses as Record<string, { content?: Record<string, { schema?: object }> }>,
        )
          .filter(
            ([status, response]) =>
              status.startsWith('2') &&
              status !== '204' &&
              (!response.content ||
                (response.content['application/json'] && !response.content['application/json'].schema)),
          )
          .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(unshaped).toEqual(['GET /api/openapi.json 200']);
  });

  it('the reference page shows every operation as plain HTML, with no script', async () => {
    const res = await request(world.app.url).get('/api/docs').expect(200);
    expect(res.type).toBe('text/html');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).not.toMatch(/<script/iu);
    for (const key of documented(contract.document)) {
      const [method = '', path = ''] = key.split(' ');
      expect(res.text).toContain(
        `<span class="method ${method.toLowerCase()}">${method}</span><code>${path}</code>`,
      );
    }
    expect(res.text).toContain('bearerAuth');
  });

  it.each(flows)('the answer of %s matches the document', async (key, template, body) => {
    const { fixtures, alice } = world;
    const path = template.replace(/:(\w+)/gu, (_match, name: keyof Fixtures) => fixtures[name]);
    const [method = ''] = key.split(' ');
    const agent = alice.agent as unknown as Record<string, (path: string) => request.Test>;
    const pending = agent[method.toLowerCase()]?.(path);
    if (!pending) throw new Error(`unknown method ${method}`);
    const res = await pending.set(alice.csrf).send(body?.(fixtures) ?? {});
    expect(res.status).toBeLessThan(300);
    contract.expectDocumented(key, res);
  });

  it('an answer that breaks the document is caught', () => {
    expect(() =>
      contract.expectDocumented('GET /api/csrf-token', { status: 200, body: { token: 1 } }),
    ).toThrow(/does not match/u);
    expect(() => contract.expectDocumented('GET /api/csrf-token', { status: 418, body: {} })).toThrow(/418/u);
  });
});
