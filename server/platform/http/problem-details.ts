import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError, NotFound } from '../errors';
import type { Logger } from '../logger';

/** RFC 9457 problem details: the one shape every error answer of the API takes. */
interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

const statusTitles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function problem(status: number, detail?: string, extensions: Record<string, unknown> = {}): Problem {
  const title = statusTitles[status] ?? 'Error';
  const type = `https://pagewire.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`;
  return { type, title, status, ...(detail ? { detail } : {}), ...extensions };
}

function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problem(error.status, error.message, {
      ...error.details,
      type: `https://pagewire.dev/problems/${error.type}`,
    });
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return problem(400, 'The request does not match what this endpoint expects.', { issues });
  }
  const bodyParserStatus = (error as { status?: number; type?: string }).status;
  if (typeof bodyParserStatus === 'number' && bodyParserStatus >= 400 && bodyParserStatus < 500) {
    const detail = (error as { expose?: boolean; message?: string }).expose
      ? (error as Error).message
      : undefined;
    return problem(bodyParserStatus, detail);
  }
  return problem(500, 'Something went wrong on our side; it has been logged.');
}

export function sendProblem(res: Parameters<RequestHandler>[1], body: Problem): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFound(`No route for ${req.method} ${req.path}`));
};

/** The one error handler: typed errors become their status, anything else a 500 that never leaks a stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const body = toProblem(error);
    if (body.status >= 500)
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendProblem(res, body);
  };
}
