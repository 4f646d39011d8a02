import { Router } from 'express';
import { memberOf, requirePageAccess, requireRole, requireSession } from '../server/accounts/authorization';
import { captureChanges, newCaptureInput } from './comment-capture/capture-input';
import type { CaptureService } from './comment-capture/capture-service';
import { blockChanges, newBlockInput, newRuleInput, ruleChanges } from './engine/bot-input';
import type { BotService } from './engine/bot-service';
import { messengerProfileInput, type createMessengerProfileService } from './engine/messenger-profile';

const id = (value: unknown) => String(value);

/** /api/captures, /api/bot/*: admins manage; agents read what concerns the Pages they see. */
export function createBotsRouter(services: {
  captures: CaptureService;
  bot: BotService;
  profile: ReturnType<typeof createMessengerProfileService>;
}): Router {
  const { captures, bot, profile } = services;
  const router = Router();
  const admin = requireRole('admin');
  router.use(['/captures', '/bot'], requireSession);

  router.get('/captures', async (req, res) => void res.json({ data: await captures.list(memberOf(req)) }));
  router.get(
    '/captures/:id',
    async (req, res) => void res.json(await captures.get(memberOf(req), id(req.params.id))),
  );
  router.post('/captures', admin, async (req, res) => {
    res.status(201).json(await captures.create(memberOf(req), newCaptureInput.parse(req.body)));
  });
  router.patch('/captures/:id', admin, async (req, res) => {
    res.json(await captures.update(memberOf(req), id(req.params.id), captureChanges.parse(req.body)));
  });
  router.delete('/captures/:id', admin, async (req, res) => {
    await captures.remove(memberOf(req), id(req.params.id));
    res.status(204).end();
  });

  router.get('/bot/blocks', async (req, res) => void res.json({ data: await bot.listBlocks(memberOf(req)) }));
  router.get(
    '/bot/blocks/:id',
    async (req, res) => void res.json(await bot.getBlock(memberOf(req), id(req.params.id))),
  );
  router.post('/bot/blocks', admin, async (req, res) => {
    res.status(201).json(await bot.createBlock(memberOf(req), newBlockInput.parse(req.body)));
  });
  router.patch('/bot/blocks/:id', admin, async (req, res) => {
    res.json(await bot.updateBlock(memberOf(req), id(req.params.id), blockChanges.parse(req.body)));
  });
  router.delete('/bot/blocks/:id', admin, async (req, res) => {
    await bot.removeBlock(memberOf(req), id(req.params.id));
    res.status(204).end();
  });

  router.get('/bot/rules', async (req, res) => void res.json({ data: await bot.listRules(memberOf(req)) }));
  router.get(
    '/bot/rules/:id',
    async (req, res) => void res.json(await bot.getRule(memberOf(req), id(req.params.id))),
  );
  router.post('/bot/rules', admin, async (req, res) => {
    res.status(201).json(await bot.createRule(memberOf(req), newRuleInput.parse(req.body)));
  });
  router.patch('/bot/rules/:id', admin, async (req, res) => {
    res.json(await bot.updateRule(memberOf(req), id(req.params.id), ruleChanges.parse(req.body)));
  });
  router.delete('/bot/rules/:id', admin, async (req, res) => {
    await bot.removeRule(memberOf(req), id(req.params.id));
    res.status(204).end();
  });

  router.put('/bot/profile/:pageId', admin, requirePageAccess('pageId'), async (req, res) => {
    const input = messengerProfileInput.parse(req.body);
    res.json({ data: await profile.update(memberOf(req), id(req.params.pageId), input) });
  });
  return router;
}
