import type { Request } from 'express';
import { GraphError } from './errors';

export type Params = Record<string, unknown>;

/** Graph accepts parameters in the query string, a form body or a JSON body; later sources win. */
export function graphParams(req: Request): Params {
  const body: unknown = req.body;
  const fromBody = body && typeof body === 'object' && !Array.isArray(body) ? (body as Params) : {};
  return { ...(req.query as Params), ...fromBody };
}

/** Form and query values arrive JSON-encoded (`recipient={"id":"..."}`); JSON bodies carry them as objects. */
export function jsonParam(params: Params, name: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw GraphError.invalid(`param ${name} must be a JSON object`);
  }
}

export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw GraphError.invalid(`param ${name} must be a string`);
}

export function requireString(params: Params, name: string): string {
  const value = stringParam(params, name);
  if (value === undefined || value === '') throw GraphError.invalid(`The parameter ${name} is required`);
  return value;
}

/** `fields=a,b` or `fields=["a","b"]`. */
export function listParam(params: Params, name: string): string[] | undefined {
  const value = jsonParam(params, name);
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }
  throw GraphError.invalid(`param ${name} must be a list`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw new Error(`route has no :${name} parameter`);
  return value;
}
