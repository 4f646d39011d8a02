import { Router } from 'express';
import { z } from 'zod';
import { sharingScopes } from '../../models/page';
import { memberOf, requireSession, requireSessionOrBackTo } from '../accounts/authorization';
import { objectIdString } from '../platform/ids';
import { listOf, type ApiOperation } from '../platform/openapi/api-operation';
import { xAccountViewSchema } from './account-view';
import type { XConnections } from './connections';
import { xAccountReportSchema, xPostViewSchema } from './post-view';
import { xScopeTable } from './scopes';
import type { ShareService } from './share-service';

const idParams = z.object({ id: objectIdString });
const sharingBody = z.strictObject({
  scope: z.enum(sharingScopes),
  teamId: z.string().min(1).max(100).optional(),
});
const shareBody = z.strictObject({
  text: z.string().max(4000),
  /** Absent: share now. */
  scheduledFor: z.iso.datetime({ offset: true }).optional(),
});
const checkBody = z.strictObject({ text: z.string().max(4000), accountId: objectIdString.optional() });
const postsQuery = z.strictObject({ accountId: objectIdString.optional() });
const callbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
});

const id = (params: unknown) => idParams.parse(params).id;

/**
 * /api/x: members' X accounts and Share to X. Every route is for the dashboard's session only: a share is its
 * account owner's own action, which an API key (acting as an admin) cannot give.
 */
export function createXRouter(connections: XConnections, shares: ShareService): Router {
  const router = Router();
  router.get('/scopes', (_req, res) => {
    res.json({ data: xScopeTable });
  });
  router.use(requireSession);

  router.get('/accounts', async (req, res) => {
    res.json({ data: await connections.list(memberOf(req)) });
  });
  router.post('/accounts/connect', (req, res) => {
    res.json({ authorizeUrl: connections.startConnect(memberOf(req), req.session) });
  });
  router.get('/accounts/:id', async (req, res) => {
    res.json(await connections.get(memberOf(req), id(req.params)));
  });
  router.get('/accounts/:id/report', async (req, res) => {
    res.json(await shares.accountReport(memberOf(req), id(req.params)));
  });
  router.patch('/accounts/:id', async (req, res) => {
    res.json(await connections.changeSharing(memberOf(req), id(req.params), sharingBody.parse(req.body)));
  });
  router.delete('/accounts/:id', async (req, res) => {
    res.json(await connections.revoke(memberOf(req), id(req.params)));
  });
  router.post('/accounts/:id/posts', async (req, res) => {
    const { text, scheduledFor } = shareBody.parse(req.body);
    const post = await shares.share(memberOf(req), id(req.params), {
      text,
      scheduledFor: scheduledFor ? new Date(scheduledFor) : undefined,
    });
    res.status(201).json(post);
  });
  router.post('/compose/check', async (req, res) => {
    const { text, accountId } = checkBody.parse(req.body);
    res.json(await shares.check(memberOf(req), accountId, text));
  });
  router.get('/posts', async (req, res) => {
    res.json({ data: await shares.list(memberOf(req), postsQuery.parse(req.query).accountId) });
  });
  router.get('/posts/:id', async (req, res) => {
    res.json(await shares.report(memberOf(req), id(req.params)));
  });
  router.post('/posts/:id/cancel', async (req, res) => {
    res.json(await shares.cancel(memberOf(req), id(req.params)));
  });
  return router;
}

/** `/auth/x/callback`: where X's consent page sends the member back; answers with the dashboard's X accounts screen. */
export function createXCallbackRouter(connections: XConnections): Router {
  const router = Router();
  router.get('/callback', requireSessionOrBackTo('/x-accounts'), async (req, res) => {
    const answer = callbackQuery.parse(req.query);
    try {
      const account = await connections.finishConnect(memberOf(req), req.session, answer);
      res.redirect(302, `/x-accounts?connected=${encodeURIComponent(account.username)}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      res.redirect(302, `/x-accounts?error=${encodeURIComponent(message)}`);
    }
  });
  return router;
}

const tag = 'X';
const scopeSchema = z.object({ scope: z.string(), requested: z.boolean(), use: z.string() });
const checkAnswer = z.object({
  weightedLength: z.number(),
  maxLength: z.number(),
  isValid: z.boolean(),
  duplicateReason: z.string().nullable(),
});
export const xOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/x/scopes',
    summary: 'Every scope X offers: the ones Pagewire asks for and what for, the others marked not used.',
    tag,
    access: 'public',
    responses: { 200: { description: 'The scope table.', schema: listOf(scopeSchema) } },
  },
  {
    method: 'get',
    path: '/api/x/accounts',
    summary: 'The X accounts the member may see (their own, and those shared with them).',
    tag,
    access: 'member',
    responses: { 200: { description: 'The accounts.', schema: listOf(xAccountViewSchema) } },
  },
  {
    method: 'post',
    path: '/api/x/accounts/connect',
    summary:
      "Start connecting the member's X account: answers X's consent page address (OAuth 2.0 with PKCE).",
    tag,
    access: 'member',
    responses: {
      200: { description: 'Where to send the browser.', schema: z.object({ authorizeUrl: z.string() }) },
    },
  },
  {
    method: 'get',
    path: '/api/x/accounts/:id',
    summary: 'One X account.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The account.', schema: xAccountViewSchema } },
  },
  {
    method: 'get',
    path: '/api/x/accounts/:id/report',
    summary: "What an account's shares came to: posts, reach and clicks.",
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The report.', schema: xAccountReportSchema } },
  },
  {
    method: 'patch',
    path: '/api/x/accounts/:id',
    summary: 'Share an X account with the workspace, a team, or keep it private (its owner or an admin).',
    tag,
    access: 'member',
    params: idParams,
    body: sharingBody,
    responses: { 200: { description: 'The account.', schema: xAccountViewSchema } },
  },
  {
    method: 'delete',
    path: '/api/x/accounts/:id',
    summary: "Revoke an X account's tokens at X and forget them (its owner or an admin); its history stays.",
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The revoked account.', schema: xAccountViewSchema } },
  },
  {
    method: 'post',
    path: '/api/x/accounts/:id/posts',
    summary:
      "Share now or schedule a post: only the account's owner, whose action is recorded as its consent.",
    tag,
    access: 'member',
    params: idParams,
    body: shareBody,
    responses: { 201: { description: 'The post and what came of it.', schema: xPostViewSchema } },
  },
  {
    method: 'post',
    path: '/api/x/compose/check',
    summary: "A draft's length as X counts it, and whether it repeats one of the account's recent posts.",
    tag,
    access: 'member',
    body: checkBody,
    responses: { 200: { description: 'The check.', schema: checkAnswer } },
  },
  {
    method: 'get',
    path: '/api/x/posts',
    summary: 'Share history with reach and clicks, newest first.',
    tag,
    access: 'member',
    query: postsQuery,
    responses: { 200: { description: 'The posts.', schema: listOf(xPostViewSchema) } },
  },
  {
    method: 'get',
    path: '/api/x/posts/:id',
    summary: "One post's report: status, consent, reach, clicks per link and X's public counts.",
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The post.', schema: xPostViewSchema } },
  },
  {
    method: 'post',
    path: '/api/x/posts/:id/cancel',
    summary: 'Cancel a scheduled post (its owner).',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The cancelled post.', schema: xPostViewSchema } },
  },
];
