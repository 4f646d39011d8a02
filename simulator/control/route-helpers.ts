import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';

/** A control handler returns the JSON answer; zod and ControlError failures become 400/404/409. */
export function controlRoute<P extends Record<string, string>>(
  handler: (req: Request<P>) => unknown,
): RequestHandler<P> {
  return async (req, res) => {
    res.json((await handler(req)) ?? { ok: true });
  };
}

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  return schema.parse(value ?? {});
}
