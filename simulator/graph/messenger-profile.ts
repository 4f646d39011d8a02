import { Router, type Request, type Response } from 'express';
import type { SimContext } from '../context';
import type { PageRecord } from '../records';
import { authenticate, requirePageToken, requirePermission, resolveId } from './auth';
import { GraphError } from './errors';
import { graphRoute, localsOf } from './handler';
import { isRecord, jsonParam, listParam, pathParam, type Params } from './params';
import { length } from './text-length';

const PROFILE_FIELDS = ['get_started', 'greeting', 'persistent_menu', 'ice_breakers', 'whitelisted_domains'];
const TEN_MINUTES_MS = 10 * 60_000;

/** Messenger Profile API: get_started, greeting, persistent_menu, ice_breakers; 10 calls per 10 minutes per Page. */
export function messengerProfileRoutes(ctx: SimContext): Router {
  const router = Router();
  const route = (handle: (page: PageRecord, params: Params) => unknown) =>
    graphRoute(ctx, 'other', (req, res, params) => handle(profileTarget(ctx, req, res, params), params));
  router.get(
    '/:id/messenger_profile',
    route((page, params) => {
      const fields = listParam(params, 'fields') ?? PROFILE_FIELDS;
      const data = Object.fromEntries(
        fields.filter((f) => f in page.messengerProfile).map((f) => [f, page.messengerProfile[f]]),
      );
      return { data: Object.keys(data).length > 0 ? [data] : [] };
    }),
  );
  router.post(
    '/:id/messenger_profile',
    route((page, params) => setProfile(page, params)),
  );
  router.delete(
    '/:id/messenger_profile',
    route((page, params) => {
      const fields = listParam(params, 'fields');
      if (!fields?.length) throw GraphError.invalid('The parameter fields is required');
      for (const field of fields) delete page.messengerProfile[field];
      return { result: 'success' };
    }),
  );
  return router;
}

function profileTarget(ctx: SimContext, req: Request, res: Response, params: Params): PageRecord {
  const caller = authenticate(ctx, req, params);
  const pageId = resolveId(caller, pathParam(req, 'id'));
  localsOf(res).pageId = pageId;
  const page = requirePageToken(caller, pageId, req.method);
  requirePermission(ctx, caller, 'pages_messaging');
  const now = ctx.clock.now();
  page.messengerProfileCalls = page.messengerProfileCalls.filter((at) => now - at < TEN_MINUTES_MS);
  if (page.messengerProfileCalls.length >= ctx.settings.rateLimits.messengerProfileCallsPer10Min) {
    throw GraphError.of('rateLimited');
  }
  page.messengerProfileCalls.push(now);
  return page;
}

function setProfile(page: PageRecord, params: Params) {
  const updates: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) {
    const value = jsonParam(params, field);
    if (value !== undefined) updates[field] = value;
  }
  if (Object.keys(updates).length === 0) throw GraphError.invalid('No valid properties to set');
  validateProfile(updates, page);
  Object.assign(page.messengerProfile, updates);
  return { result: 'success' };
}

function validateProfile(updates: Record<string, unknown>, page: PageRecord): void {
  const { get_started: getStarted, greeting, persistent_menu: menu, ice_breakers: iceBreakers } = updates;
  if (getStarted !== undefined && !(isRecord(getStarted) && typeof getStarted.payload === 'string')) {
    throw GraphError.invalid('param get_started must have a payload');
  }
  if (greeting !== undefined)
    validateLocalised(greeting, 'greeting', (item) => maxText(item.text, 160, 'greeting[text]'));
  if (menu !== undefined) {
    if (getStarted === undefined && page.messengerProfile.get_started === undefined) {
      throw GraphError.invalid('You must set a Get Started button if you also wish to use persistent menu.');
    }
    validateLocalised(menu, 'persistent_menu', (item) => validateMenuItems(item.call_to_actions));
  }
  if (iceBreakers !== undefined) validateIceBreakers(iceBreakers);
}

/** Localised lists need a `default` locale (docs/messenger-platform.md §5). */
function validateLocalised(
  value: unknown,
  name: string,
  check: (item: Record<string, unknown>) => void,
): void {
  if (!Array.isArray(value) || !value.every(isRecord))
    throw GraphError.invalid(`param ${name} must be an array`);
  if (!value.some((item) => item.locale === 'default')) {
    throw GraphError.invalid(`param ${name} must include the default locale`);
  }
  value.forEach(check);
}

function validateMenuItems(items: unknown): void {
  if (!Array.isArray(items) || items.length === 0 || items.length > 20) {
    throw GraphError.invalid('persistent_menu call_to_actions must have between 1 and 20 items');
  }
  for (const item of items as unknown[]) {
    if (!isRecord(item)) throw GraphError.invalid('persistent_menu items must be objects');
    maxText(item.title, 30, 'persistent_menu[call_to_actions][title]');
    if (item.type === 'postback') maxText(item.payload, 1000, 'persistent_menu[call_to_actions][payload]');
    else if (item.type !== 'web_url')
      throw GraphError.invalid('persistent_menu item type must be web_url or postback');
  }
}

function validateIceBreakers(value: unknown): void {
  if (!Array.isArray(value)) throw GraphError.invalid('param ice_breakers must be an array');
  for (const entry of value as unknown[]) {
    const questions = isRecord(entry) ? entry.call_to_actions : undefined;
    if (!Array.isArray(questions) || questions.length === 0 || questions.length > 4) {
      throw GraphError.invalid('ice_breakers call_to_actions must have between 1 and 4 questions');
    }
    for (const question of questions as unknown[]) {
      if (
        !isRecord(question) ||
        typeof question.question !== 'string' ||
        typeof question.payload !== 'string'
      ) {
        throw GraphError.invalid('each ice breaker needs a question and a payload');
      }
    }
  }
}

function maxText(value: unknown, max: number, name: string): void {
  if (typeof value !== 'string' || value === '')
    throw GraphError.invalid(`param ${name} must be a non-empty string`);
  if (length(value) > max)
    throw GraphError.invalid(`Length of param ${name} must be less than or equal to ${max}`);
}
