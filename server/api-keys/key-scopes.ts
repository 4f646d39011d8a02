import type { ApiKeyScope } from '../../models/api-key';

/** What each scope lets a key do, in the words the dashboard shows beside it. */
export const apiKeyScopeMeanings: Record<ApiKeyScope, string> = {
  read: 'read Pages, conversations, broadcasts, automation, subscribers, X Ads metrics and the Overview',
  conversations: 'read and answer conversations, assign and resolve them, add notes',
  broadcasts:
    'create, schedule, send, pause and cancel broadcasts; phone invitations and sponsored messages when they are on',
  automation: 'manage the bot, comment captures, the Messenger Profile, autoposting and automation pauses',
  subscribers:
    "read and export subscribers, change their tags and custom fields, export or erase one person's data",
};

/**
 * The one table of what API keys reach, `METHOD /path` as Express mounts it. A route of a scope's area needs that
 * scope; a GET of any area is also open to `read`. `public` routes need no scope. A route missing here is
 * session-only (logout, workspace switching, members, invitations, the keys themselves, the CSRF token): a key gets
 * 401 there. Keys act as an admin of their workspace would, within these routes.
 */
const routesByScope: Record<ApiKeyScope | 'public', string[]> = {
  // /api/x is otherwise for sessions only: sharing to X is its account owner's own action, which a key cannot give.
  public: [
    'GET /api/permissions',
    'GET /api/sandbox',
    'GET /api/openapi.json',
    'GET /api/docs',
    'GET /api/x/scopes',
  ],
  read: [
    'GET /api/pages',
    'GET /api/pages/:id',
    'GET /api/overview/activity',
    'GET /api/overview/first-response',
    'GET /api/overview/subscribers',
    'GET /api/overview/waiting',
    'GET /api/overview/broadcasts',
    'GET /api/x-ads/roles',
    'GET /api/x-ads/connections',
    'GET /api/x-ads/connections/:id',
    'GET /api/x-ads/connections/:id/metrics',
  ],
  conversations: [
    'GET /api/conversations',
    'GET /api/conversations/:id',
    'GET /api/conversations/:id/messages',
    'POST /api/conversations/:id/messages',
    'POST /api/conversations/:id/sender-actions',
    'POST /api/conversations/:id/presence',
    'POST /api/conversations/:id/assign',
    'POST /api/conversations/:id/unassign',
    'POST /api/conversations/:id/resolve',
    'POST /api/conversations/:id/reopen',
    'POST /api/conversations/:id/claim',
    'POST /api/conversations/:id/notes',
  ],
  broadcasts: [
    'GET /api/broadcasts',
    'POST /api/broadcasts',
    'POST /api/broadcasts/estimate',
    'POST /api/broadcasts/content-check',
    'GET /api/broadcasts/audience-options',
    'GET /api/broadcasts/:id',
    'GET /api/broadcasts/:id/results',
    'GET /api/broadcasts/:id/recipients',
    'PUT /api/broadcasts/:id',
    'GET /api/broadcasts/:id/estimate',
    'POST /api/broadcasts/:id/schedule',
    'POST /api/broadcasts/:id/send',
    'POST /api/broadcasts/:id/pause',
    'POST /api/broadcasts/:id/resume',
    'POST /api/broadcasts/:id/cancel',
    // Present only with FEATURE_PHONE_INVITES and FEATURE_SPONSORED_MESSAGES: outbound marketing, like broadcasts.
    // Creating a sponsored message and listing ad accounts need the member's own Facebook grant: sessions only.
    'GET /api/phone-invites',
    'POST /api/phone-invites',
    'GET /api/sponsored-messages',
    'GET /api/sponsored-messages/:id',
    'POST /api/sponsored-messages/:id/refresh',
    'POST /api/sponsored-messages/:id/pause',
  ],
  automation: [
    'POST /api/pages/:id/automation-pause',
    'DELETE /api/pages/:id/automation-pause',
    'GET /api/captures',
    'GET /api/captures/:id',
    'GET /api/captures/posts/:pageId',
    'GET /api/captures/:id/outcomes',
    'POST /api/captures',
    'PATCH /api/captures/:id',
    'DELETE /api/captures/:id',
    'GET /api/bot/blocks',
    'GET /api/bot/blocks/:id',
    'POST /api/bot/blocks',
    'PATCH /api/bot/blocks/:id',
    'DELETE /api/bot/blocks/:id',
    'POST /api/bot/content/check',
    'PUT /api/bot/rules/order',
    'GET /api/bot/flow/:pageId',
    'GET /api/bot/rules',
    'GET /api/bot/rules/:id',
    'POST /api/bot/rules',
    'PATCH /api/bot/rules/:id',
    'DELETE /api/bot/rules/:id',
    'GET /api/bot/profile/:pageId',
    'PUT /api/bot/profile/:pageId',
    'POST /api/bot/profile/greeting/check',
    'GET /api/autoposting/feeds',
    'POST /api/autoposting/feeds',
    'PATCH /api/autoposting/feeds/:id',
    'DELETE /api/autoposting/feeds/:id',
    'POST /api/autoposting/feeds/:id/poll',
    'GET /api/autoposting/feeds/:id/items',
    'POST /api/autoposting/deliveries/:id/send-again',
  ],
  subscribers: [
    'GET /api/subscribers',
    'GET /api/subscribers/export.csv',
    'GET /api/subscribers/:id',
    'GET /api/subscribers/:id/export',
    'DELETE /api/subscribers/:id',
    'PUT /api/subscribers/:id/tags',
    'PATCH /api/subscribers/:id/custom-fields',
  ],
};

const scopeOfRoute = new Map(
  Object.entries(routesByScope).flatMap(([scope, routes]) =>
    routes.map((route) => [route, scope as ApiKeyScope | 'public'] as const),
  ),
);

/**
 * What reaches the route `METHOD /path` with a key: any one of the scopes listed, no scope at all (`public`), or no key
 * (`session-only`). The OpenAPI document shows the same answer as each operation's security.
 */
export function keyScopesFor(route: string): ApiKeyScope[] | 'public' | 'session-only' {
  const scope = scopeOfRoute.get(route);
  if (!scope) return 'session-only';
  if (scope === 'public') return scope;
  return route.startsWith('GET ') && scope !== 'read' ? [scope, 'read'] : [scope];
}

export type KeyAccess = 'allowed' | 'missing-scope' | 'session-only';

/** Whether a key with `scopes` may call the route `METHOD /path`. */
export function keyAccessTo(route: string, scopes: readonly ApiKeyScope[]): KeyAccess {
  const reaching = keyScopesFor(route);
  if (reaching === 'public') return 'allowed';
  if (reaching === 'session-only') return reaching;
  return reaching.some((scope) => scopes.includes(scope)) ? 'allowed' : 'missing-scope';
}
