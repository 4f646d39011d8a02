import { Router } from 'express';
import { z } from 'zod';
import { apiKeyScopes } from '../../models/api-key';
import { memberOf, requireRole, requireSession } from '../accounts/authorization';
import { objectIdString } from '../platform/ids';
import { isoInstant, type ApiOperation } from '../platform/openapi/api-operation';
import { apiKeyScopeMeanings } from './key-scopes';
import type { ApiKeyService } from './service';

const keyParams = z.object({ id: objectIdString });
const newKey = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(z.enum(apiKeyScopes))
    .min(1)
    .max(apiKeyScopes.length)
    .transform((scopes) => [...new Set(scopes)]),
});

const offeredScopes = apiKeyScopes.map((name) => ({ name, meaning: apiKeyScopeMeanings[name] }));

/** /api/api-keys: admins create (the key is answered once), list and revoke their workspace's keys. */
export function createApiKeysRouter(keys: ApiKeyService): Router {
  const router = Router();
  router.use(requireSession, requireRole('admin'));

  router.get('/', async (req, res) => {
    res.json({ data: await keys.list(memberOf(req).workspaceId), scopes: offeredScopes });
  });

  router.post('/', async (req, res) => {
    res.status(201).json(await keys.create(memberOf(req), newKey.parse(req.body)));
  });

  router.delete('/:id', async (req, res) => {
    await keys.revoke(memberOf(req), keyParams.parse(req.params).id);
    res.status(204).end();
  });

  return router;
}

const keyView = z.looseObject({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(apiKeyScopes)),
  prefix: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string().nullable() }),
  createdAt: isoInstant,
  lastUsedAt: isoInstant.nullable(),
  revokedAt: isoInstant.nullable(),
});

export const apiKeysOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/api-keys',
    summary: "The workspace's API keys (never the keys themselves) and the scopes a key may have.",
    tag: 'API keys',
    access: 'admin',
    responses: {
      200: {
        description: 'The keys, newest first.',
        schema: z.object({
          data: z.array(keyView),
          scopes: z.array(z.object({ name: z.enum(apiKeyScopes), meaning: z.string() })),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/api-keys',
    summary: 'Create a key with its scopes; the key is in this answer only.',
    tag: 'API keys',
    access: 'admin',
    body: newKey,
    responses: { 201: { description: 'The key, shown once.', schema: keyView.extend({ key: z.string() }) } },
  },
  {
    method: 'delete',
    path: '/api/api-keys/:id',
    summary: 'Revoke a key: it answers 401 from now on.',
    tag: 'API keys',
    access: 'admin',
    params: keyParams,
    responses: { 204: { description: 'Revoked.' } },
  },
];
