import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call an operation, in the words of the authorization table: `marketing` is admins and marketers. */
export type Access = 'public' | 'member' | 'admin' | 'marketing';

export interface ApiResponse {
  description: string;
  /** The body's shape; absent for an empty answer (204) or one the document does not describe (a CSV). */
  schema?: z.ZodType;
  /** `application/json` unless told. */
  contentType?: string;
}

/**
 * One route as the OpenAPI document shows it, declared beside the route with the very zod schemas its handler parses,
 * so the document cannot drift from the validation. `path` is Express's (`/api/pages/:id`).
 */
export interface ApiOperation {
  method: HttpMethod;
  path: string;
  summary: string;
  /** The reference page's section, one per feature. */
  tag: string;
  access: Access;
  /** Path parameters; by default each `:name` is a string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ApiResponse>;
}

/** An ISO 8601 instant, as JSON carries our dates. */
export const isoInstant = z.string().meta({ format: 'date-time' });

/** The `{ data: [...] }` envelope list routes answer with. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
