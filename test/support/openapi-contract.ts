/**
 * Real answers checked against the OpenAPI document the app serves, with ajv (JSON Schema 2020-12, as OpenAPI 3.1):
 *
 *   const contract = await loadContract(app.url);
 *   contract.expectDocumented('GET /api/pages/:id', await alice.agent.get(`/api/pages/${id}`));
 *
 * The status must be one the operation lists, and a JSON body must match that status's schema.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { openApiPath, type OpenApiDocument } from '../../server/platform/openapi/openapi-document';

const pointer = (...parts: string[]) =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export interface Contract {
  document: OpenApiDocument;
  /** Throws, naming each mismatch, unless the answer is what the document says `METHOD /path` answers. */
  expectDocumented(key: string, res: { status: number; body: unknown; type?: string }): void;
}

export async function loadContract(appUrl: string): Promise<Contract> {
  const document = (await request(appUrl).get('/api/openapi.json').expect(200)).body as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: 'openapi.json' });
  return {
    document,
    expectDocumented(key, res) {
      const [method = '', path = ''] = key.split(' ');
      const operation = document.paths[openApiPath(path)]?.[method.toLowerCase()] as
        { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> } | undefined;
      if (!operation) throw new Error(`${key} is not in the document`);
      const response = operation.responses[String(res.status)];
      if (!response) throw new Error(`${key} answered ${res.status}, which the document does not list`);
      if (!response.content?.['application/json']?.schema) return;
      const validate = ajv.getSchema(
        `openapi.json#/${pointer('paths', openApiPath(path), method.toLowerCase(), 'responses', String(res.status), 'content', 'application/json', 'schema')}`,
      );
      if (!validate) throw new Error(`no schema for ${key} ${res.status}`);
      if (!validate(res.body))
        throw new Error(
          `${key} ${res.status} does not match the document:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(res.body).slice(0, 2000)}`,
        );
    },
  };
}
