import { DomainError } from '../platform/errors';
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
  /** The person cannot be messaged: blocked the Page, deactivated, or no such person for this Page (551, 100/2018001). */
  | { kind: 'user_unavailable' }
  /**
   * Meta refused this one message to this person for a reason of its own that waiting a little will not cure (a
   * marketing message before the minimum gap, 4/2018354; a person who stopped marketing messages, code 10). Safe to
   * drop: nothing went out, the Page and the person are otherwise fine.
   */
  | { kind: 'not_allowed_for_person' }
  | { kind: 'already_replied' }
  | { kind: 'cannot_reply' }
  | { kind: 'thread_owned_by_other_app' }
  | { kind: 'token_invalid' }
  | { kind: 'permission_missing' }
  /** Meta deemed the action abusive and blocked it (368): stop sending from this Page rather than try again. */
  | { kind: 'page_restricted' }
  | { kind: 'bad_request' }
  /**
   * The send governor gave up on a live reply that waited longer than its deadline behind the Page's rate limit.
   * It never started, so sending it again cannot duplicate it.
   */
  | { kind: 'not_sent_in_time'; waitedMs: number }
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

/**
 * A Graph call that Meta refused or could not answer. Callers turn the outcomes they expect into their own answers; one
 * that escapes to the HTTP layer is a 502 in plain words (Meta's own message and code beside), never a 500.
 */
export class GraphError extends DomainError {
  readonly status = 502;
  readonly type = 'meta-refused';
  readonly outcome: GraphOutcome;
  readonly code?: number;
  readonly subcode?: number;
  readonly fbtraceId?: string;

  constructor(
    outcome: GraphOutcome,
    details: { message?: string; code?: number; subcode?: number; fbtraceId?: string } = {},
  ) {
    super(details.message ?? reasonFor(outcome), {
      reason: reasonFor(outcome),
      ...(details.code !== undefined ? { code: details.code } : {}),
    });
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
  not_allowed_for_person:
    'Facebook does not allow this message to this person (for example a marketing message too soon after the last one, or after they turned marketing messages off). It was not sent.',
  cannot_reply: 'Facebook does not allow a private reply to this comment.',
  thread_owned_by_other_app: 'Another app (such as the Page Inbox) is handling this conversation right now.',
  token_invalid: 'The connection to this Page has expired. A Page admin needs to reconnect it.',
  permission_missing: 'The Page did not grant a permission this needs. A Page admin needs to reconnect it.',
  page_restricted:
    'Facebook blocked this action as abusive. Sending from this Page has stopped until a Page admin checks its standing with Meta.',
  bad_request: 'Facebook refused the request as invalid. This is a problem on our side and has been logged.',
  unknown_outcome: 'Facebook did not answer in time, so we cannot tell whether this was sent.',
  not_sent_in_time:
    "Facebook is holding back this Page's messages, so this reply was not sent. It is safe to send it again in a moment.",
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
  /** The length of the minutes Meta announces regain times in (see `metaMinuteMs`). */
  minuteMs?: number;
}

/** Maps an HTTP error answer from Meta (status, error JSON, headers) to the outcome the product acts on. */
export function outcomeForResponse(response: GraphErrorResponse): GraphOutcome {
  const error = metaErrorIn(response.body);
  const byCode =
    error?.code === undefined
      ? undefined
      : outcomeForCode(error.code, error.error_subcode, response, error.message);
  if (byCode) return byCode;
  if (response.status === 429)
    return {
      kind: 'rate_limited',
      waitMs: regainAccessMsFrom(response.headers, response.pageId, response.minuteMs),
    };
  if (response.status >= 500) return { kind: 'retry_later', waitMs: retryAfterMs(response.headers) };
  return { kind: 'bad_request' };
}

/**
 * Meta gives no figure for "user is performing too many actions" (9/2018352) beyond "later"; a minute keeps the
 * client's own quick retries (seconds apart) from spending themselves on it and hands the wait to the caller.
 */
export const tooManyActionsWaitMs = 60_000;

/** Meta's wording of a code-10 permission error ("(#10) Requires pages_messaging permission ...", "... does not have permission ..."). */
const permissionWording = /permission/i;

/**
 * Subcodes first: the same code means different things with different subcodes (4 is a rate limit, but 4/2018354
 * is a marketing gap that waiting for the Page will not cure).
 */
function outcomeForCode(
  code: number,
  subcode: number | undefined,
  response: GraphErrorResponse,
  message: string | undefined,
): GraphOutcome | undefined {
  if (code === 4 && subcode === 2018354) return { kind: 'not_allowed_for_person' };
  if (code === 9)
    return { kind: 'retry_later', waitMs: Math.max(tooManyActionsWaitMs, retryAfterMs(response.headers)) };
  if (code === 10) return outcomeForCode10(subcode, message);
  // 100/2018001 "No matching user found": no such person for this Page, so no message will ever reach them.
  if (code === 100 && subcode === 2018001) return { kind: 'user_unavailable' };
  if (code === 2018218 || (code === 100 && subcode === 2018218)) return { kind: 'user_unavailable' };
  if (temporaryCodes.has(code)) return { kind: 'retry_later', waitMs: retryAfterMs(response.headers) };
  if (isRateLimitCode(code))
    return {
      kind: 'rate_limited',
      waitMs: regainAccessMsFrom(response.headers, response.pageId, response.minuteMs),
    };
  if (code === 551) return { kind: 'user_unavailable' };
  if (code === 368) return { kind: 'page_restricted' };
  if (code === 10900) return { kind: 'already_replied' };
  if (code === 10903) return { kind: 'cannot_reply' };
  if (code === 190) return { kind: 'token_invalid' };
  if (code === 200 || code === 230) return { kind: 'permission_missing' };
  return undefined;
}

/**
 * Code 10 is Meta's "permission denied", but it is also how Meta refuses one message to one person (outside the
 * window, another app's thread, a person who stopped marketing messages). Only a refusal that speaks of a permission
 * flags the Page for re-authentication: reconnecting cures nothing else, and a person-level refusal must not take a
 * whole Page's automation down. A real permission loss worded otherwise is still caught by the Page health check.
 */
function outcomeForCode10(subcode: number | undefined, message: string | undefined): GraphOutcome {
  if (subcode === 2018278) return { kind: 'outside_window' };
  if (subcode === 2018300) return { kind: 'thread_owned_by_other_app' };
  if (message !== undefined && permissionWording.test(message)) return { kind: 'permission_missing' };
  return { kind: 'not_allowed_for_person' };
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
