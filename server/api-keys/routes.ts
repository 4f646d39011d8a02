import { Router } from 'express';
import { z } from 'zod';
import { apiKeyScopes } from '../../models/api-key';
import { memberOf, requireRole, requireSession } from '../accounts/authorization';
import { objectIdString } from '../platform/ids';
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

/** /api/api-keys: admins create (the key is answered once), list and revoke their workspace's keys. */
export function createApiKeysRouter(keys: ApiKeyService): Router {
  const router = Router();
  router.use(requireSession, requireRole('admin'));

  router.get('/', async (req, res) => {
    res.json({ data: await keys.list(memberOf(req).workspaceId), scopes: apiKeyScopes });
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
