import { Router } from 'express';
import { z } from 'zod';
import {
  marketingRoles,
  memberOf,
  requirePageAccess,
  requireRole,
  requireSession,
} from '../server/accounts/authorization';
import { automatedContentCheckAnswer, checkAutomatedContent } from '../server/messaging/message-content';
import { objectIdString } from '../server/platform/ids';
import { listOf, type ApiOperation } from '../server/platform/openapi/api-operation';
import {
  blockAnswer,
  captureAnswer,
  flowAnswer,
  outcomesAnswer,
  postsAnswer,
  profileAnswer,
  ruleAnswer,
} from './answers';
import { captureChanges, newCaptureInput, outcomePage } from './comment-capture/capture-input';
import type { CaptureService } from './comment-capture/capture-service';
import {
  blockChanges,
  contentCheck,
  newBlockInput,
  newRuleInput,
  ruleChanges,
  ruleOrder,
} from './engine/bot-input';
import type { BotService } from './engine/bot-service';
import {
  checkGreeting,
  greetingDraft,
  messengerProfileInput,
  type createMessengerProfileService,
} from './engine/messenger-profile';

const id = (value: unknown) => String(value);

type Member = ReturnType<typeof memberOf>;

/** The same five routes for each resource, on the Pages the member sees. */
function mountCrud(
  router: Router,
  path: string,
  resource: {
    list(member: Member): Promise<unknown>;
    get(member: Member, key: string): Promise<unknown>;
    create(member: Member, body: unknown): Promise<unknown>;
    update(member: Member, key: string, body: unknown): Promise<unknown>;
    remove(member: Member, key: string): Promise<unknown>;
  },
): void {
  router.get(path, async (req, res) => void res.json({ data: await resource.list(memberOf(req)) }));
  router.get(
    `${path}/:id`,
    async (req, res) => void res.json(await resource.get(memberOf(req), id(req.params.id))),
  );
  router.post(
    path,
    async (req, res) => void res.status(201).json(await resource.create(memberOf(req), req.body)),
  );
  router.patch(`${path}/:id`, async (req, res) => {
    res.json(await resource.update(memberOf(req), id(req.params.id), req.body));
  });
  router.delete(`${path}/:id`, async (req, res) => {
    await resource.remove(memberOf(req), id(req.params.id));
    res.status(204).end();
  });
}

/** /api/captures, /api/bot/*: automation, for admins and marketers on the Pages they see; agents get 403. */
export function createBotsRouter(services: {
  captures: CaptureService;
  bot: BotService;
  profile: ReturnType<typeof createMessengerProfileService>;
}): Router {
  const { captures, bot, profile } = services;
  const router = Router();
  router.use(['/captures', '/bot'], requireSession, requireRole(...marketingRoles));

  router.get('/captures/posts/:pageId', requirePageAccess('pageId'), async (req, res) => {
    res.json({ data: await captures.recentPosts(memberOf(req), id(req.params.pageId)) });
  });
  router.get('/captures/:id/outcomes', async (req, res) => {
    res.json(await captures.outcomes(memberOf(req), id(req.params.id), outcomePage.parse(req.query)));
  });
  mountCrud(router, '/captures', {
    list: (member) => captures.list(member),
    get: (member, key) => captures.get(member, key),
    create: (member, body) => captures.create(member, newCaptureInput.parse(body)),
    update: (member, key, body) => captures.update(member, key, captureChanges.parse(body)),
    remove: (member, key) => captures.remove(member, key),
  });
  mountCrud(router, '/bot/blocks', {
    list: (member) => bot.listBlocks(member),
    get: (member, key) => bot.getBlock(member, key),
    create: (member, body) => bot.createBlock(member, newBlockInput.parse(body)),
    update: (member, key, body) => bot.updateBlock(member, key, blockChanges.parse(body)),
    remove: (member, key) => bot.removeBlock(member, key),
  });
  router.post('/bot/content/check', (req, res) => {
    res.json(checkAutomatedContent(contentCheck.parse(req.body).content));
  });
  router.put('/bot/rules/order', async (req, res) => {
    res.json({ data: await bot.reorderRules(memberOf(req), ruleOrder.parse(req.body)) });
  });
  router.get('/bot/flow/:pageId', requirePageAccess('pageId'), async (req, res) => {
    res.json(await bot.flow(memberOf(req), id(req.params.pageId)));
  });
  mountCrud(router, '/bot/rules', {
    list: (member) => bot.listRules(member),
    get: (member, key) => bot.getRule(member, key),
    create: (member, body) => bot.createRule(member, newRuleInput.parse(body)),
    update: (member, key, body) => bot.updateRule(member, key, ruleChanges.parse(body)),
    remove: (member, key) => bot.removeRule(member, key),
  });

  router.post('/bot/profile/greeting/check', (req, res) => {
    res.json(checkGreeting(greetingDraft.parse(req.body)));
  });
  router.get('/bot/profile/:pageId', requirePageAccess('pageId'), async (req, res) => {
    res.json(await profile.read(memberOf(req), id(req.params.pageId)));
  });
  router.put('/bot/profile/:pageId', requirePageAccess('pageId'), async (req, res) => {
    const input = messengerProfileInput.parse(req.body);
    res.json(await profile.update(memberOf(req), id(req.params.pageId), input));
  });
  return router;
}

const idParams = z.object({ id: objectIdString });
const pageParams = z.object({ pageId: objectIdString });

/** The five routes `mountCrud` mounts, as the document shows them. */
function crudOperations(
  path: string,
  tag: string,
  noun: { one: string; many: string },
  schemas: { item: z.ZodType; create: z.ZodType; update: z.ZodType },
): ApiOperation[] {
  const common = { tag, access: 'marketing' } as const;
  return [
    {
      ...common,
      method: 'get',
      path,
      summary: `The ${noun.many} of the Pages the member sees.`,
      responses: { 200: { description: `The ${noun.many}.`, schema: listOf(schemas.item) } },
    },
    {
      ...common,
      method: 'get',
      path: `${path}/:id`,
      summary: `One ${noun.one}.`,
      params: idParams,
      responses: { 200: { description: `The ${noun.one}.`, schema: schemas.item } },
    },
    {
      ...common,
      method: 'post',
      path,
      summary: `Create a ${noun.one}.`,
      body: schemas.create,
      responses: { 201: { description: `The ${noun.one}.`, schema: schemas.item } },
    },
    {
      ...common,
      method: 'patch',
      path: `${path}/:id`,
      summary: `Change a ${noun.one}.`,
      params: idParams,
      body: schemas.update,
      responses: { 200: { description: `The ${noun.one}.`, schema: schemas.item } },
    },
    {
      ...common,
      method: 'delete',
      path: `${path}/:id`,
      summary: `Delete a ${noun.one}.`,
      params: idParams,
      responses: { 204: { description: 'Deleted.' } },
    },
  ];
}

const captureTag = 'Comment capture';
const botTag = 'Bot';
export const botsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/captures/posts/:pageId',
    summary: 'A Page’s recent posts, to capture comments on.',
    tag: captureTag,
    access: 'marketing',
    params: pageParams,
    responses: { 200: { description: 'The posts.', schema: postsAnswer } },
  },
  {
    method: 'get',
    path: '/api/captures/:id/outcomes',
    summary: 'What a capture did with each comment.',
    tag: captureTag,
    access: 'marketing',
    params: idParams,
    query: outcomePage,
    responses: { 200: { description: 'A page of outcomes.', schema: outcomesAnswer } },
  },
  ...crudOperations(
    '/api/captures',
    captureTag,
    { one: 'capture', many: 'captures' },
    { item: captureAnswer, create: newCaptureInput, update: captureChanges },
  ),
  ...crudOperations(
    '/api/bot/blocks',
    botTag,
    { one: 'block', many: 'blocks' },
    { item: blockAnswer, create: newBlockInput, update: blockChanges },
  ),
  {
    method: 'post',
    path: '/api/bot/content/check',
    summary: 'What Facebook would refuse in an automated message; the problems are the answer, not a 400.',
    tag: botTag,
    access: 'marketing',
    body: contentCheck,
    responses: { 200: { description: 'The check.', schema: automatedContentCheckAnswer } },
  },
  {
    method: 'put',
    path: '/api/bot/rules/order',
    summary: 'Reorder a Page’s rules.',
    tag: botTag,
    access: 'marketing',
    body: ruleOrder,
    responses: { 200: { description: 'The rules in their new order.', schema: listOf(ruleAnswer) } },
  },
  {
    method: 'get',
    path: '/api/bot/flow/:pageId',
    summary: 'A Page’s rules and blocks as a flow.',
    tag: botTag,
    access: 'marketing',
    params: pageParams,
    responses: { 200: { description: 'The flow.', schema: flowAnswer } },
  },
  ...crudOperations(
    '/api/bot/rules',
    botTag,
    { one: 'rule', many: 'rules' },
    { item: ruleAnswer, create: newRuleInput, update: ruleChanges },
  ),
  {
    method: 'post',
    path: '/api/bot/profile/greeting/check',
    summary: 'Check a greeting against Messenger’s limits.',
    tag: botTag,
    access: 'marketing',
    body: greetingDraft,
    responses: { 200: { description: 'The check.', schema: automatedContentCheckAnswer } },
  },
  {
    method: 'get',
    path: '/api/bot/profile/:pageId',
    summary: 'A Page’s Messenger Profile: Get Started, greeting, menu, ice breakers.',
    tag: botTag,
    access: 'marketing',
    params: pageParams,
    responses: { 200: { description: 'The profile.', schema: profileAnswer } },
  },
  {
    method: 'put',
    path: '/api/bot/profile/:pageId',
    summary: 'Set a Page’s Messenger Profile.',
    tag: botTag,
    access: 'marketing',
    params: pageParams,
    body: messengerProfileInput,
    responses: { 200: { description: 'The profile.', schema: profileAnswer } },
  },
];
