import { createHmac } from 'node:crypto';
import axios, { isAxiosError, type AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import axiosRetry from 'axios-retry';
import { keepAliveAgents } from '../platform/http/keep-alive-agents';
import type { Logger } from '../platform/logger';
import { countGraphCall } from '../platform/metrics';
import {
  GraphError,
  metaErrorIn,
  outcomeForResponse,
  outcomeForTransportFailure,
  type GraphOutcome,
} from './graph-outcomes';
import { parsePageUsages, type HeaderSource, type PageUsage } from './usage-headers';

export interface RetryOptions {
  /** Retries after the first attempt; 0 turns retrying off. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface GraphHttpOptions {
  baseUrl: string;
  /** The path version, e.g. `v25.0`. */
  apiVersion: string;
  appSecret: string;
  timeoutMs: number;
  retry: RetryOptions;
  logger: Logger;
  /** Called when a call made with a Page's token shows the token is dead or lacks a permission. */
  onAuthProblem?: (pageId: string, outcome: GraphOutcome) => void;
  onUsage?: (pageId: string, usage: PageUsage) => void;
  /** Meta's minute, in which it announces regain times: 60 000 except in tests, which shrink it to wait less. */
  minuteMs?: number;
}

export interface GraphCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path after the version, e.g. `/123/messages`. */
  path: string;
  /** Absent only for the OAuth token exchanges, which authenticate with the app id and secret instead. */
  accessToken?: string;
  /** Set when `accessToken` is this Page's token: auth problems and usage are then reported for it. */
  pageId?: string;
  params?: Record<string, string | number | boolean>;
  body?: unknown;
}

export interface GraphHttp {
  call(call: GraphCall): Promise<unknown>;
  lastUsage(pageId: string): PageUsage | undefined;
}

/** Meta's `appsecret_proof`: hex HMAC-SHA256 of the access token keyed with the app secret. */
export function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so retries spread out but grow. */
function backoffDelayMs(retryNumber: number, retry: RetryOptions, hintMs = 0): number {
  const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const jittered = step / 2 + Math.random() * (step / 2);
  return Math.min(retry.maxDelayMs, Math.max(hintMs, jittered));
}

function outcomeForAxiosError(error: AxiosError, pageId?: string, minuteMs?: number): GraphOutcome {
  const { response } = error;
  if (!response) return outcomeForTransportFailure(error.code);
  return outcomeForResponse({
    status: response.status,
    body: response.data,
    headers: response.headers as HeaderSource,
    ...(pageId === undefined ? {} : { pageId }),
    ...(minuteMs === undefined ? {} : { minuteMs }),
  });
}

/**
 * Which failures are worth another attempt inside the client. Rate limits are not: the send governor waits them out
 * for the whole Page. Nor is a wait longer than the client's own longest delay (Retry-After of minutes, 9/2018352):
 * the caller, not a request held open, should do that waiting. A send that may have gone out (`unknown_outcome`) is
 * never repeated, because the person would get it twice; a GET has no effect, so it may be repeated after a timeout.
 */
function isWorthRetrying(error: AxiosError, retry: RetryOptions): boolean {
  const outcome = outcomeForAxiosError(error);
  if (outcome.kind === 'retry_later') return outcome.waitMs <= retry.maxDelayMs;
  return outcome.kind === 'unknown_outcome' && error.config?.method?.toLowerCase() === 'get';
}

function createAxios(options: GraphHttpOptions): AxiosInstance {
  // No redirect is followed. The Graph API answers where it is asked; a 307 from anything in between would send the
  // message (body and recipient) again to another address. With none to follow, axios also sends through Node's own
  // http client instead of follow-redirects, a tenth of the app's CPU per broadcast send less.
  const instance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxRedirects: 0,
    ...keepAliveAgents(),
  });
  // axios-retry gives the bound and the waiting; the outcome mapping decides what is retryable.
  axiosRetry(instance, {
    retries: options.retry.maxRetries,
    shouldResetTimeout: true,
    retryCondition: (error) => isWorthRetrying(error, options.retry),
    retryDelay: (retryNumber, error) => {
      const outcome = outcomeForAxiosError(error);
      return backoffDelayMs(retryNumber, options.retry, outcome.kind === 'retry_later' ? outcome.waitMs : 0);
    },
    onRetry: (retryNumber, error, config) => {
      options.logger.warn(
        { path: config.url, retryNumber, status: error.response?.status, code: error.code },
        'graph call failed, retrying',
      );
    },
  });
  return instance;
}

/** Once the client's own retries are spent, `retry_later` tells the caller how long to wait before trying again. */
function afterRetries(outcome: GraphOutcome, retry: RetryOptions): GraphOutcome {
  if (outcome.kind !== 'retry_later') return outcome;
  // Meta's own wait, when longer than our backoff's cap, is kept: trying sooner would only be refused again.
  const waitMs = Math.max(outcome.waitMs, backoffDelayMs(retry.maxRetries + 1, retry, outcome.waitMs));
  return { kind: 'retry_later', waitMs };
}

function needsReauthorisation(outcome: GraphOutcome): boolean {
  return outcome.kind === 'token_invalid' || outcome.kind === 'permission_missing';
}

/** A bad request is our bug; a refusal by policy (window, blocked person) is the platform working as documented. */
function logLevelFor(outcome: GraphOutcome): 'error' | 'warn' | 'info' {
  if (outcome.kind === 'bad_request') return 'error';
  const troubles = [
    'retry_later',
    'rate_limited',
    'unknown_outcome',
    'token_invalid',
    'permission_missing',
    'page_restricted',
  ];
  return troubles.includes(outcome.kind) ? 'warn' : 'info';
}

export function createGraphHttp(options: GraphHttpOptions): GraphHttp {
  const http = createAxios(options);
  const usageByPage = new Map<string, PageUsage>();

  function observeUsage(headers: HeaderSource, pageId: string | undefined): void {
    for (const [usagePageId, usage] of parsePageUsages(headers, pageId, options.minuteMs)) {
      usageByPage.set(usagePageId, usage);
      options.onUsage?.(usagePageId, usage);
    }
  }

  function toGraphError(error: AxiosError, call: GraphCall): GraphError {
    if (error.response) observeUsage(error.response.headers as HeaderSource, call.pageId);
    const outcome = afterRetries(outcomeForAxiosError(error, call.pageId, options.minuteMs), options.retry);
    const meta = metaErrorIn(error.response?.data);
    const details = { code: meta?.code, subcode: meta?.error_subcode, fbtraceId: meta?.fbtrace_id };
    const logLine = { pageId: call.pageId, path: call.path, outcome: outcome.kind, ...details };
    options.logger[logLevelFor(outcome)](logLine, 'graph call failed');
    countGraphCall(outcome.kind, meta?.code);
    if (call.pageId !== undefined && needsReauthorisation(outcome))
      options.onAuthProblem?.(call.pageId, outcome);
    return new GraphError(outcome, { message: meta?.message, ...details });
  }

  function authenticate({ accessToken, params }: GraphCall) {
    if (accessToken === undefined) return { params };
    return {
      // The token travels in a header so it never appears in a URL that a proxy or access log might keep.
      headers: { Authorization: `Bearer ${accessToken}` },
      params: { ...params, appsecret_proof: appSecretProof(accessToken, options.appSecret) },
    };
  }

  async function call(graphCall: GraphCall): Promise<unknown> {
    let response: AxiosResponse;
    try {
      response = await http.request({
        method: graphCall.method,
        url: `/${options.apiVersion}${graphCall.path}`,
        ...authenticate(graphCall),
        data: graphCall.body,
      });
    } catch (error) {
      if (isAxiosError(error)) throw toGraphError(error, graphCall);
      throw error;
    }
    observeUsage(response.headers as HeaderSource, graphCall.pageId);
    countGraphCall('ok');
    return response.data;
  }

  return { call, lastUsage: (pageId) => usageByPage.get(pageId) };
}
