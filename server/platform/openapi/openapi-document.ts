import { z } from 'zod';
import type { Access, ApiOperation } from './api-operation';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; a 400 names each bad field in `issues`.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status'],
};

const problemType = 'application/problem+json';
const problemReference = { $ref: '#/components/schemas/Problem' };

/** What reaches an operation with an API key, from the one table of scopes (server/api-keys/key-scopes.ts). */
export type KeyScopesOf = (route: string) => readonly string[] | 'public' | 'session-only';

const securitySchemesOf = (keyScopes: readonly string[]) => ({
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'pagewire.sid',
    description: 'The dashboard’s session, set by signing in with Facebook at /auth/facebook.',
  },
  csrfHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description:
      'With the session cookie, every request that changes something carries GET /api/csrf-token’s value.',
  },
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A workspace API key, `Authorization: Bearer <key>`; no CSRF token. It reaches what its scopes allow: each ' +
      'operation lists, in its security, the scopes any one of which reaches it; an operation without bearerAuth is ' +
      `for the dashboard's session only.`,
    'x-scopes': keyScopes,
  },
});

const accessWords: Record<Access, string> = {
  public: 'Anyone, signed in or not.',
  member: 'Any member of the workspace, over the Pages they may see.',
  admin: 'The workspace’s admins.',
  marketing: 'The workspace’s admins and marketers, over the Pages they may see.',
};

/** `/api/pages/:id` → `/api/pages/{id}` */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/gu, '{$1}');

const pathParameterNames = (expressPath: string) =>
  [...expressPath.matchAll(/:(\w+)/gu)].flatMap(([, name]) => (name ? [name] : []));

/**
 * zod to JSON Schema draft 2020-12, the dialect of OpenAPI 3.1. Requests are described as clients send them (`input`:
 * defaults optional, coercions as typed), answers as the server builds them. A schema's own `$defs` (recursive
 * content, for one) move to the document's components under a name of their own, since a `#/$defs` reference would
 * point at the document's root.
 */
function toSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  name: string,
  components: Record<string, JsonSchema>,
) {
  const {
    $schema: _dialect,
    $defs,
    ...json
  } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  if (!$defs) return json;
  const rename = (text: string) =>
    text.replaceAll(
      /"#\/\$defs\/([^"]+)"/gu,
      (_match, def: string) => `"#/components/schemas/${name}.${def}"`,
    );
  for (const [def, value] of Object.entries($defs)) {
    components[`${name}.${def}`] = JSON.parse(rename(JSON.stringify(value))) as JsonSchema;
  }
  return JSON.parse(rename(JSON.stringify(json))) as JsonSchema;
}

export const operationId = ({ method, path }: Pick<ApiOperation, 'method' | 'path'>) =>
  `${method}${path
    .replace(/^\/api/u, '')
    .split(/[/-]/u)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `By${part.slice(1, 2).toUpperCase()}${part.slice(2)}` : part))
    .map((part) => part.slice(0, 1).toUpperCase() + part.slice(1))
    .join('')}`;

function securityOf({ access, method, path }: ApiOperation, keyScopesOf: KeyScopesOf) {
  if (access === 'public') return [];
  const session = method === 'get' ? { sessionCookie: [] } : { sessionCookie: [], csrfHeader: [] };
  const keyScopes = keyScopesOf(`${method.toUpperCase()} ${path}`);
  if (keyScopes === 'public' || keyScopes === 'session-only') return [session];
  return [session, ...keyScopes.map((scope) => ({ bearerAuth: [scope] }))];
}

function errorResponses(operation: ApiOperation) {
  const problem = {
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  const hasInput =
    Boolean(operation.params ?? operation.query ?? operation.body) || operation.path.includes(':');
  return {
    ...(hasInput ? { 400: { description: 'The request does not match this operation.', ...problem } } : {}),
    ...(operation.access === 'public'
      ? {}
      : { 401: { description: 'Not signed in, or no valid key.', ...problem } }),
    ...(operation.access === 'public' || (operation.access === 'member' && operation.method === 'get')
      ? {}
      : { 403: { description: 'Not allowed to this member, or no CSRF token.', ...problem } }),
    ...(operation.path.includes(':')
      ? { 404: { description: 'Not found in this workspace.', ...problem } }
      : {}),
  };
}

function parametersOf(operation: ApiOperation, components: Record<string, JsonSchema>, name: string) {
  const params = operation.params
    ? toSchema(operation.params, 'input', `${name}.params`, components)
    : undefined;
  const paramProperties = (params?.properties ?? {}) as Record<string, JsonSchema>;
  const inPath = pathParameterNames(operation.path).map((param) => ({
    name: param,
    in: 'path',
    required: true,
    schema: paramProperties[param] ?? { type: 'string' },
  }));
  const query = operation.query ? toSchema(operation.query, 'input', `${name}.query`, components) : undefined;
  const required = new Set((query?.required ?? []) as string[]);
  const inQuery = Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(
    ([param, schema]) => ({
      name: param,
      in: 'query',
      required: required.has(param),
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    }),
  );
  return [...inPath, ...inQuery];
}

/** The OpenAPI 3.1 document of the given operations. */
export function buildOpenApiDocument(
  operations: ApiOperation[],
  info: { version: string; serverUrl: string; keyScopes: readonly string[]; keyScopesOf: KeyScopesOf },
): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { Problem: problemSchema };
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    const id = operationId(operation);
    const parameters = parametersOf(operation, schemas, id);
    const responses = Object.fromEntries(
      Object.entries(operation.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema || response.contentType
            ? {
                content: {
                  [response.contentType ?? 'application/json']: response.schema
                    ? { schema: toSchema(response.schema, 'output', `${id}.${status}`, schemas) }
                    : response.contentType === problemType
                      ? { schema: problemReference }
                      : {},
                },
              }
            : {}),
        },
      ]),
    );
    const pathItem = (paths[openApiPath(operation.path)] ??= {});
    pathItem[operation.method] = {
      operationId: id,
      summary: operation.summary,
      description: `Who: ${accessWords[operation.access]}`,
      tags: [operation.tag],
      security: securityOf(operation, info.keyScopesOf),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: toSchema(operation.body, 'input', `${id}.body`, schemas) },
              },
            },
          }
        : {}),
      responses: { ...responses, ...errorResponses(operation) },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pagewire API',
      version: info.version,
      description:
        'Live chat, broadcasts, the bot and comment capture for Messenger. Every error is an RFC 9457 problem document.',
    },
    servers: [{ url: info.serverUrl }],
    tags: [...new Set(operations.map(({ tag }) => tag))].map((name) => ({ name })),
    paths,
    components: { schemas, securitySchemes: securitySchemesOf(info.keyScopes) },
  };
}
