import { regainAccessMsFrom, type HeaderSource } from './usage-headers';

/**
 * What a failed Graph call means for the product. The rest of the code acts on these kinds, never on Meta's numeric
 * codes, so a change in Meta's error table is a change in this file only.
 */
export type GraphOutcome =
  /** Meta had a passing problem (codes 1, 2, 1200, HTTP 5xx) or the request never left; try again after `waitMs`. */
  | { kind: 'retry_later'; waitMs: number }
  /** A rate limit was hit; `waitMs` is Meta's estimated time to regain access, 0 when Meta gave none. */
  | { kind: 'rate_limited'; waitMs: number }
  | { kind: 'outside_window' }
  | { kind: 'user_unavailable' }
  | { kind: 'already_replied' }
  | { kind: 'cannot_reply' }
  | { kind: 'thread_owned_by_other_app' }
  | { kind: 'token_invalid' }
  | { kind: 'permission_missing' }
  | { kind: 'bad_request' }
  /** The request was sent but no answer came (timeout, reset): the message may or may not have gone out. */
  | { kind: 'unknown_outcome' };

export type GraphOutcomeKind = GraphOutcome['kind'];

/** Meta's error JSON: `{"error":{"message","type","code","error_subcode","fbtrace_id","error_data"}}`. */
export interface MetaErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  error_data?: unknown;
}

export class GraphError extends Error {
  readonly outcome: GraphOutcome;
  readonly code?: number;
  readonly subcode?: number;
  readonly fbtraceId?: string;

  constructor(
    outcome: GraphOutcome,
    details: { message?: string; code?: number; subcode?: number; fbtraceId?: string } = {},
  ) {
    super(details.message ?? reasonFor(outcome));
    this.name = 'GraphError';
    this.outcome = outcome;
    this.code = details.code;
    this.subcode = details.subcode;
    this.fbtraceId = details.fbtraceId;
  }
}

export function isGraphError(error: unknown, kind?: GraphOutcomeKind): error is GraphError {
  return error instanceof GraphError && (kind === undefined || error.outcome.kind === kind);
}

const reasons: Record<GraphOutcomeKind, string> = {
  retry_later: 'Facebook had a temporary problem. We will try again shortly.',
  rate_limited: 'Facebook asked us to slow down for this Page. Sending resumes automatically.',
  outside_window:
    'This person last wrote more than 24 hours ago, so Facebook only allows a reply after they write again.',
  user_unavailable: 'This person cannot be reached on Messenger right now (they may have blocked the Page).',
  already_replied: 'This comment has already received its one private reply.',
  cannot_reply: 'Facebook does not allow a private reply to this comment.',
  thread_owned_by_other_app: 'Another app (such as the Page Inbox) is handling this conversation right now.',
  token_invalid: 'The connection to this Page has expired. A Page admin needs to reconnect it.',
  permission_missing: 'The Page did not grant a permission this needs. A Page admin needs to reconnect it.',
  bad_request: 'Facebook refused the request as invalid. This is a problem on our side and has been logged.',
  unknown_outcome: 'Facebook did not answer in time, so we cannot tell whether this was sent.',
};

/** The reason an agent or marketer reads when a send fails, in plain words. */
export function reasonFor(outcome: GraphOutcome): string {
  return reasons[outcome.kind];
}

const temporaryCodes = new Set([1, 2, 1200]);
// 4 = app, 17 = user, 32 = page, 613 = custom ("Calls to this api have exceeded the rate limit"), 80000–80014 = BUC.
const rateLimitCodes = new Set([4, 17, 32, 613]);

function isRateLimitCode(code: number): boolean {
  return rateLimitCodes.has(code) || (code >= 80000 && code <= 80014);
}

export interface GraphErrorResponse {
  status: number;
  body: unknown;
  headers: HeaderSource;
  /** The Page the call was made for, to read its regain time from `x-business-use-case-usage`. */
  pageId?: string;
}

/** Maps an HTTP error answer from Meta (status, error JSON, headers) to the outcome the product acts on. */
export function outcomeForResponse(response: GraphErrorResponse): GraphOutcome {
  const error = metaErrorIn(response.body);
  const byCode =
    error?.code === undefined ? undefined : outcomeForCode(error.code, error.error_subcode, response);
  if (byCode) return byCode;
  if (response.status === 429)
    return { kind: 'rate_limited', waitMs: regainAccessMsFrom(response.headers, response.pageId) };
  if (response.status >= 500) return { kind: 'retry_later', waitMs: retryAfterMs(response.headers) };
  return { kind: 'bad_request' };
}

function outcomeForCode(
  code: number,
  subcode: number | undefined,
  response: GraphErrorResponse,
): GraphOutcome | undefined {
  if (temporaryCodes.has(code)) return { kind: 'retry_later', waitMs: retryAfterMs(response.headers) };
  if (isRateLimitCode(code))
    return { kind: 'rate_limited', waitMs: regainAccessMsFrom(response.headers, response.pageId) };
  if (code === 10 && subcode === 2018278) return { kind: 'outside_window' };
  if (code === 10 && subcode === 2018300) return { kind: 'thread_owned_by_other_app' };
  if (code === 551) return { kind: 'user_unavailable' };
  if (code === 10900) return { kind: 'already_replied' };
  if (code === 10903) return { kind: 'cannot_reply' };
  if (code === 190) return { kind: 'token_invalid' };
  if (code === 200 || code === 10 || code === 230) return { kind: 'permission_missing' };
  return undefined;
}

/** The `error` object of Meta's error JSON, or undefined when the body is not in Meta's shape (e.g. a proxy's 502). */
export function metaErrorIn(body: unknown): MetaErrorBody | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as MetaErrorBody) : undefined;
}

function retryAfterMs(headers: HeaderSource): number {
  const seconds = Number(headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** Transport errors (Node's `code`) that mean the request never reached Meta, so even a send may be retried. */
const neverSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Maps a failure with no HTTP answer (timeout, reset, refused connection) to an outcome. */
export function outcomeForTransportFailure(code: string | undefined): GraphOutcome {
  if (code !== undefined && neverSentCodes.has(code)) return { kind: 'retry_later', waitMs: 0 };
  return { kind: 'unknown_outcome' };
}
