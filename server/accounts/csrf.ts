import type { Request } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchroniser-token CSRF protection: the token lives in the session and must come back in `x-csrf-token` on every
 * state-changing request made with the session cookie. SameSite=Lax alone would still let a same-site page POST.
 */
const csrf = csrfSync({ getTokenFromRequest: (req) => req.get('x-csrf-token') ?? undefined });

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !safeMethods.has(method.toUpperCase());
}

/** The session's token, created on first use. */
export function csrfTokenFor(req: Request): string {
  return csrf.generateToken(req);
}

export function hasValidCsrfToken(req: Request): boolean {
  return csrf.isRequestValid(req);
}

/**
 * For a page whose own script cannot send our token (the jobs dashboard, Agendash): a state-changing request is
 * safe when it is JSON sent from this origin. A cross-site form cannot send JSON, a cross-site fetch of JSON needs a
 * CORS preflight nothing here answers, and the Origin check refuses other origins of the same site too.
 */
export function isSameOriginJson(req: Request, origin: string): boolean {
  return req.is('application/json') === 'application/json' && req.get('origin') === origin;
}
