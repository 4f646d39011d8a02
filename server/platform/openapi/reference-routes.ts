import { Router } from 'express';
import type { ApiOperation } from './api-operation';
import { buildOpenApiDocument, type KeyScopesOf, type OpenApiDocument } from './openapi-document';
import { renderReferencePage } from './reference-page';

/** The API has one version so far: it changes only in ways existing clients keep working with. */
const apiVersion = '1';

/** The operations of the reference itself, public like the permission list. */
export const apiReferenceOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document: every operation of the API, in OpenAPI 3.1.',
    tag: 'Reference',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document.', contentType: 'application/json' } },
  },
  {
    method: 'get',
    path: '/api/docs',
    summary: 'The reference page: this document as HTML.',
    tag: 'Reference',
    access: 'public',
    responses: { 200: { description: 'The reference page.', contentType: 'text/html' } },
  },
];

/** GET /openapi.json and GET /docs, mounted at /api; both are built once, when the app starts. */
export function createApiReferenceRouter(
  operations: ApiOperation[],
  keys: { serverUrl: string; keyScopes: readonly string[]; keyScopesOf: KeyScopesOf },
): { router: Router; document: OpenApiDocument } {
  const document = buildOpenApiDocument([...operations, ...apiReferenceOperations], {
    version: apiVersion,
    ...keys,
  });
  const page = renderReferencePage(document);
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  return { router, document };
}
