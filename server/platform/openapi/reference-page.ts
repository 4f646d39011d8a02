import type { OpenApiDocument } from './openapi-document';

type JsonSchema = Record<string, unknown>;

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const styles = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1c1917;background:#fafaf9}
header,main{max-width:960px;margin:0 auto;padding:1rem}
h1{margin:.5rem 0}h2{border-bottom:2px solid #d6d3d1;padding-top:1rem}
nav ul{columns:2;padding-left:1.2rem}
section.operation{background:#fff;border:1px solid #d6d3d1;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
h3{font-size:1rem;word-break:break-all}
.method{display:inline-block;min-width:4.2rem;font-weight:700;color:#fff;background:#44403c;border-radius:4px;
padding:0 .4rem;margin-right:.5rem;text-align:center}
.get{background:#1d4ed8}.post{background:#15803d}.put,.patch{background:#a16207}.delete{background:#b91c1c}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;border-bottom:1px solid #e7e5e4;padding:.2rem .5rem;vertical-align:top}
code,.type{overflow-wrap:anywhere}
code{font-size:.9em;background:#f5f5f4;padding:0 .2rem}
ul.schema{margin:.2rem 0;padding-left:1.2rem}
.type{color:#57534e}
`;

/** A schema in words: objects as lists of their fields, nested up to a depth, references followed. */
function describe(schema: JsonSchema | undefined, document: OpenApiDocument, depth = 0): string {
  if (!schema || Object.keys(schema).length === 0) return '<span class="type">any</span>';
  if (depth > 6) return '<span class="type">…</span>';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return describe(document.components.schemas[name], document, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key] as JsonSchema[] | undefined;
    if (options)
      return `${key === 'allOf' ? 'all of' : 'one of'}<ul class="schema">${options
        .map((option) => `<li>${describe(option, document, depth + 1)}</li>`)
        .join('')}</ul>`;
  }
  if (Array.isArray(schema.enum))
    return `one of ${(schema.enum as unknown[]).map((value) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(' ')}`;
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (schema.type === 'array' || schema.items)
    return `array of ${describe(schema.items as JsonSchema | undefined, document, depth + 1)}`;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    const required = new Set((schema.required ?? []) as string[]);
    const fields = Object.entries(properties)
      .map(
        ([name, property]) =>
          `<li><code>${escapeHtml(name)}</code>${required.has(name) ? '' : ' <span class="type">(optional)</span>'}: ${describe(property, document, depth + 1)}</li>`,
      )
      .join('');
    return `object<ul class="schema">${fields}</ul>`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type ?? 'any');
  const details = ['format', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'maxItems', 'default']
    .filter((key) => schema[key] !== undefined)
    .map((key) => `${key} ${escapeHtml(JSON.stringify(schema[key]))}`);
  const description = typeof schema.description === 'string' ? ` — ${escapeHtml(schema.description)}` : '';
  return `<span class="type">${escapeHtml(type)}${details.length ? ` (${details.join(', ')})` : ''}</span>${description}`;
}

function renderOperation(
  path: string,
  method: string,
  operation: JsonSchema,
  document: OpenApiDocument,
): string {
  const parameters = (operation.parameters ?? []) as JsonSchema[];
  const security = (operation.security ?? []) as Record<string, string[]>[];
  const body = (operation.requestBody as { content: Record<string, { schema: JsonSchema }> } | undefined)
    ?.content['application/json']?.schema;
  const responses = Object.entries(operation.responses as Record<string, JsonSchema>);
  return `<section class="operation" id="${escapeHtml(String(operation.operationId))}">
<h3><span class="method ${method}">${method.toUpperCase()}</span><code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(String(operation.summary))} ${escapeHtml(String(operation.description))}</p>
<p>Authentication: ${
    security.length === 0
      ? 'none'
      : security
          .map((scheme) =>
            Object.entries(scheme)
              .map(([name, scopes]) =>
                scopes.length > 0
                  ? `<code>${name}</code> with the scope <code>${scopes.map(escapeHtml).join(', ')}</code>`
                  : `<code>${name}</code>`,
              )
              .join(' + '),
          )
          .join(' or ')
  }</p>
${
  parameters.length
    ? `<h4>Parameters</h4><table><thead><tr><th scope="col">Name</th><th scope="col">Schema</th></tr></thead><tbody>${parameters
        .map(
          (parameter) =>
            `<tr><td><code>${escapeHtml(String(parameter.name))}</code> <span class="type">(${escapeHtml(String(parameter.in))}${parameter.required ? '' : ', optional'})</span></td><td>${describe(parameter.schema as JsonSchema, document)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : ''
}
${body ? `<h4>Request body (JSON)</h4>${describe(body, document)}` : ''}
<h4>Responses</h4><table><thead><tr><th scope="col">Status</th><th scope="col">Body</th></tr></thead><tbody>${responses
    .map(([status, response]) => {
      const content = Object.entries((response.content ?? {}) as Record<string, { schema?: JsonSchema }>);
      const shown = content
        .map(([type, media]) =>
          type === 'application/problem+json'
            ? 'a problem document'
            : `<code>${escapeHtml(type)}</code> ${media.schema ? describe(media.schema, document) : ''}`,
        )
        .join('');
      return `<tr><td>${status}</td><td>${escapeHtml(String(response.description))}${shown ? `<br>${shown}` : ''}</td></tr>`;
    })
    .join('')}</tbody></table>
</section>`;
}

/** The reference page: plain HTML and CSS rendered on the server, since the CSP allows no inline script. */
export function renderReferencePage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
  const sections = document.tags
    .map(({ name }) => {
      const ofTag = operations.filter(({ operation }) => (operation.tags as string[]).includes(name));
      return `<h2 id="tag-${escapeHtml(name)}">${escapeHtml(name)}</h2>${ofTag
        .map(({ path, method, operation }) => renderOperation(path, method, operation, document))
        .join('')}`;
    })
    .join('');
  const schemes = Object.entries(document.components.securitySchemes)
    .map(([name, scheme]) => `<li><code>${name}</code>: ${escapeHtml(String(scheme.description))}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} reference</title><style>${styles}</style></head>
<body><header><h1>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</h1>
<p>${escapeHtml(document.info.description)} The machine-readable document: <a href="openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Authentication</h2><ul>${schemes}</ul>
<nav aria-label="Features"><h2>Contents</h2><ul>${document.tags
    .map(({ name }) => `<li><a href="#tag-${escapeHtml(name)}">${escapeHtml(name)}</a></li>`)
    .join('')}</ul></nav></header>
<main>${sections}</main></body></html>`;
}
