import type { Request, RequestHandler, Response } from 'express';
import type { SimContext } from '../context';
import type { FaultKind } from '../settings';
import { delay } from '../timers';
import { GraphError, rateLimitError } from './errors';
import { graphParams, type Params } from './params';

export type GraphHandler = (req: Request, res: Response, params: Params) => unknown;

/** Locals a handler fills in as it learns them, so a refusal is recorded against the right Page and PSID. */
export interface GraphLocals {
  pageId?: string;
  psid?: string;
  tokenKind?: string;
  /** A timeout fault will drop the response after the call is handled. */
  responseDropped?: boolean;
}

export function localsOf(res: Response): GraphLocals {
  return res.locals as GraphLocals;
}

/**
 * Wraps a Graph handler: version header, injected faults, Meta's error body for every refusal and a violation
 * record of it. The handler returns the JSON body.
 */
export function graphRoute(
  ctx: SimContext,
  scope: 'messages' | 'other',
  handler: GraphHandler,
): RequestHandler {
  return async (req, res) => {
    res.setHeader(
      'facebook-api-version',
      (res.locals.apiVersion as string | undefined) ?? ctx.settings.apiVersion,
    );
    const params = graphParams(req);
    const pathId = req.params.id;
    if (typeof pathId === 'string' && ctx.state.pages.has(pathId)) localsOf(res).pageId = pathId;
    const affected = ctx.faults.affects(scope);
    const fault = affected ? ctx.faults.draw() : null;
    if (affected && ctx.faults.current().slowMs > 0) await delay(ctx.faults.current().slowMs);
    if (fault === 'rate_limited') return sendRateLimited(ctx, req, res, params);
    if (fault && fault !== 'timeout') return sendFault(ctx, res, fault);
    if (fault === 'timeout' && !ctx.faults.current().timeoutAfterAccept) return holdAndDrop(ctx, res);
    localsOf(res).responseDropped = fault === 'timeout';
    try {
      const body = await handler(req, res, params);
      if (fault === 'timeout') return holdAndDrop(ctx, res);
      if (!res.headersSent) res.json(body);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      recordViolation(ctx, req, res, params, error);
      if (fault === 'timeout') return holdAndDrop(ctx, res);
      res.status(ctx.settings.errorStatusByCode[error.code] ?? 400).json(error.toBody());
    }
  };
}

/** An injected throttle answers exactly like the rate limiter's own, and is recorded as a violation like it. */
function sendRateLimited(ctx: SimContext, req: Request, res: Response, params: Params): void {
  const { errorCode, cooldownMs } = ctx.settings.rateLimits;
  const error = rateLimitError(errorCode, cooldownMs);
  recordViolation(ctx, req, res, params, error);
  res.status(ctx.settings.errorStatusByCode[error.code] ?? 400).json(error.toBody());
}

function sendFault(
  ctx: SimContext,
  res: Response,
  fault: Exclude<FaultKind, 'timeout' | 'rate_limited'>,
): void {
  const error =
    fault === 'server_error'
      ? GraphError.of('unknown')
      : GraphError.of(fault === 'temporary' ? 'temporary' : 'sendFailure');
  const status = fault === 'server_error' ? 500 : (ctx.settings.errorStatusByCode[error.code] ?? 400);
  res.status(status).json(error.toBody());
}

/** Holds the request past the client's timeout, then drops the connection without an answer. */
function holdAndDrop(ctx: SimContext, res: Response): void {
  ctx.timers.after(ctx.faults.current().timeoutHoldMs, () => res.socket?.destroy());
}

/** Records a refusal (or an accepted misuse) against the Page and PSID the handler learnt. */
export function recordViolation(
  ctx: SimContext,
  req: Request,
  res: Response,
  params: Params,
  error: GraphError,
): void {
  const locals = localsOf(res);
  const { access_token: _token, appsecret_proof: _proof, ...body } = params;
  ctx.state.violations.push({
    endpoint: `${req.method} ${req.path}`,
    pageId: locals.pageId ?? null,
    psid: locals.psid ?? null,
    tokenKind: locals.tokenKind ?? null,
    code: error.code,
    subcode: error.subcode,
    message: error.message,
    body,
    time: ctx.clock.now(),
  });
  ctx.logger.info({ code: error.code, subcode: error.subcode, pageId: locals.pageId }, 'graph refusal');
}
