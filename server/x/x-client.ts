import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';

/**
 * The only code that talks to X (docs/x-platform.md): OAuth 2.0 token calls with the client's Basic credentials and
 * the v2 calls with a member's access token. Reads and token calls are retried on a 5xx or no answer, a bounded
 * number of times; creating a post never is, since X may have taken it.
 */
export interface XClientSettings {
  apiUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

export interface XTokenAnswer {
  accessToken: string;
  refreshToken: string | null;
  expiresInSeconds: number;
  scopes: string[];
}

export interface XMe {
  id: string;
  username: string;
  name: string;
  followersCount: number;
}

/** What X's refusal means to us. */
export type XFailureKind = 'unauthorized' | 'duplicate' | 'rate_limited' | 'refused' | 'unavailable';

export class XCallFailed extends Error {
  constructor(
    readonly kind: XFailureKind,
    readonly status: number | null,
    readonly detail: string,
    /** For `rate_limited`: when X's window resets. */
    readonly resetAt: Date | null = null,
  ) {
    super(`X answered ${status ?? 'nothing'}: ${detail}`);
    this.name = 'XCallFailed';
  }
}

/** A post's public_metrics: counts X shows everyone, nothing about who. */
export interface XPostMetrics {
  impressions: number;
  likes: number;
  reposts: number;
  replies: number;
}

export interface XClient {
  readonly isConfigured: boolean;
  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<XTokenAnswer>;
  refresh(refreshToken: string): Promise<XTokenAnswer>;
  revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void>;
  me(accessToken: string): Promise<XMe>;
  createPost(accessToken: string, text: string): Promise<{ id: string }>;
  /** null when X no longer has the post. */
  postMetrics(accessToken: string, xPostId: string): Promise<XPostMetrics | null>;
}

const duplicateDetail = 'You are not allowed to create a Tweet with duplicate content.';

function failureOf(error: unknown): XCallFailed {
  if (!(error instanceof AxiosError) || !error.response) {
    return new XCallFailed('unavailable', null, error instanceof Error ? error.message : String(error));
  }
  const { status, data, headers } = error.response;
  const body = (data ?? {}) as { detail?: string; error_description?: string; error?: string };
  const detail = body.detail ?? body.error_description ?? body.error ?? `HTTP ${status}`;
  if (status === 429) {
    const reset = Number(headers['x-rate-limit-reset']);
    return new XCallFailed(
      'rate_limited',
      status,
      detail,
      Number.isFinite(reset) ? new Date(reset * 1000) : null,
    );
  }
  if (status === 401 || body.error === 'invalid_request' || body.error === 'invalid_grant') {
    return new XCallFailed('unauthorized', status, detail);
  }
  if (status === 403 && detail === duplicateDetail) return new XCallFailed('duplicate', status, detail);
  if (status >= 500) return new XCallFailed('unavailable', status, detail);
  return new XCallFailed('refused', status, detail);
}

const isRetryable = (failure: XCallFailed) => failure.kind === 'unavailable';

export function createXClient(settings: XClientSettings): XClient {
  const http: AxiosInstance = axios.create({ baseURL: settings.apiUrl, timeout: settings.timeoutMs });
  const basic = () =>
    `Basic ${Buffer.from(`${settings.clientId ?? ''}:${settings.clientSecret ?? ''}`).toString('base64')}`;

  async function call<T>(config: AxiosRequestConfig, retries: number): Promise<{ data: T }> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await http.request<T>(config);
      } catch (error) {
        const failure = failureOf(error);
        if (!isRetryable(failure) || attempt >= retries) throw failure;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  async function tokenCall(fields: Record<string, string>): Promise<XTokenAnswer> {
    const { data } = await call<{
      access_token: string;
      refresh_token?: string;
      expires_in: number;
      scope: string;
    }>(
      {
        method: 'post',
        url: '/2/oauth2/token',
        data: new URLSearchParams(fields).toString(),
        headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      },
      settings.maxRetries,
    );
    return {
      accessToken: data.access_token,
      refreshToken: data.refresh_token ?? null,
      expiresInSeconds: data.expires_in,
      scopes: data.scope.split(' ').filter(Boolean),
    };
  }

  return {
    isConfigured: Boolean(settings.clientId && settings.clientSecret),
    exchangeCode: (code, codeVerifier, redirectUri) =>
      tokenCall({
        grant_type: 'authorization_code',
        code,
        code_verifier: codeVerifier,
        redirect_uri: redirectUri,
        client_id: settings.clientId ?? '',
      }),
    refresh: (refreshToken) =>
      tokenCall({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: settings.clientId ?? '',
      }),
    async revoke(token, hint) {
      await call(
        {
          method: 'post',
          url: '/2/oauth2/revoke',
          data: new URLSearchParams({ token, token_type_hint: hint }).toString(),
          headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
        },
        settings.maxRetries,
      );
    },
    async me(accessToken) {
      const { data } = await call<{
        data: { id: string; username: string; name: string; public_metrics?: { followers_count: number } };
      }>(
        {
          method: 'get',
          url: '/2/users/me',
          params: { 'user.fields': 'public_metrics' },
          headers: { authorization: `Bearer ${accessToken}` },
        },
        settings.maxRetries,
      );
      const user = data.data;
      return {
        id: user.id,
        username: user.username,
        name: user.name,
        followersCount: user.public_metrics?.followers_count ?? 0,
      };
    },
    async postMetrics(accessToken, xPostId) {
      const { data } = await call<{
        data?: {
          public_metrics?: {
            impression_count: number;
            like_count: number;
            retweet_count: number;
            reply_count: number;
          };
        };
      }>(
        {
          method: 'get',
          url: `/2/tweets/${encodeURIComponent(xPostId)}`,
          params: { 'tweet.fields': 'public_metrics' },
          headers: { authorization: `Bearer ${accessToken}` },
        },
        settings.maxRetries,
      );
      const metrics = data.data?.public_metrics;
      if (!metrics) return null;
      return {
        impressions: metrics.impression_count,
        likes: metrics.like_count,
        reposts: metrics.retweet_count,
        replies: metrics.reply_count,
      };
    },
    async createPost(accessToken, text) {
      const { data } = await call<{ data: { id: string } }>(
        {
          method: 'post',
          url: '/2/tweets',
          data: { text },
          headers: { authorization: `Bearer ${accessToken}` },
        },
        0,
      );
      return { id: data.data.id };
    },
  };
}
