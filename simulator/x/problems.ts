import type { ErrorRequestHandler } from 'express';

/**
 * X API v2 errors are problem documents (`title`, `detail`, `type`, `status`); the OAuth 2.0 endpoints answer
 * RFC 6749's `error` and `error_description` instead. See docs/x-platform.md.
 */
export class XProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly type = 'about:blank',
  ) {
    super(detail);
  }

  toBody() {
    return { title: this.title, detail: this.detail, type: this.type, status: this.status };
  }

  static unauthorized = () => new XProblem(401, 'Unauthorized', 'Unauthorized');
  static forbidden = (detail: string) => new XProblem(403, 'Forbidden', detail);
  static duplicate = () =>
    new XProblem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
  static tooManyRequests = () => new XProblem(429, 'Too Many Requests', 'Too Many Requests');
  static invalid = (detail: string) =>
    new XProblem(400, 'Invalid Request', detail, 'https://api.twitter.com/2/problems/invalid-request');
  static notFound = (detail: string) =>
    new XProblem(404, 'Not Found Error', detail, 'https://api.twitter.com/2/problems/resource-not-found');
}

export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export const xErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof XProblem) return res.status(error.status).json(error.toBody());
  if (error instanceof OAuthError) {
    return res.status(error.status).json({ error: error.error, error_description: error.description });
  }
  const status = (error as { status?: number }).status;
  if (status && status < 500) return res.status(400).json(XProblem.invalid('Invalid request body').toBody());
  return res.status(500).json(new XProblem(500, 'Internal Server Error', 'Internal error').toBody());
};
