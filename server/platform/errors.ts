/**
 * The few domain errors the product raises. The HTTP error handler maps each to an application/problem+json answer;
 * anything else becomes a 500 without details.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequest extends DomainError {
  readonly status = 400;
  readonly type = 'bad-request';
}

export class Unauthorized extends DomainError {
  readonly status = 401;
  readonly type = 'unauthorized';
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly type = 'forbidden';
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly type = 'not-found';
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly type = 'conflict';
}

/** The messaging policy refused a send; `details.reason` says why in words a marketer understands. */
export class PolicyRefused extends DomainError {
  readonly status = 422;
  readonly type = 'policy-refused';
}

export class ServiceUnavailable extends DomainError {
  readonly status = 503;
  readonly type = 'service-unavailable';
}
