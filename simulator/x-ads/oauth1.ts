import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 §3.6) requires: encodeURIComponent leaves !'()* alone. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The `oauth_*` parameters of an `Authorization: OAuth k="v", ...` header; undefined when it is not one. */
export function parseOAuthHeader(header: string | undefined): Map<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params = new Map<string, string>();
  for (const match of header.slice(6).matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) {
    params.set(match[1]!, decodeURIComponent(match[2]!));
  }
  return params;
}

export interface SignedRequest {
  method: string;
  /** scheme://host[:port]/path, no query. */
  baseUrl: string;
  /** Query and form-body parameters, decoded. */
  params: [string, string][];
  oauth: Map<string, string>;
}

/** RFC 5849 §3.4.1: method, base URL and the sorted, encoded parameters (the signature itself and realm excluded). */
export function signatureBaseString({ method, baseUrl, params, oauth }: SignedRequest): string {
  const all = [...params, ...[...oauth].filter(([key]) => key !== 'oauth_signature' && key !== 'realm')]
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const normalized = all.map(([key, value]) => `${key}=${value}`).join('&');
  return [method.toUpperCase(), percentEncode(baseUrl), percentEncode(normalized)].join('&');
}

export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString).digest('base64');
}

export function isSignatureValid(
  request: SignedRequest,
  consumerSecret: string,
  tokenSecret: string,
): boolean {
  const given = Buffer.from(request.oauth.get('oauth_signature') ?? '');
  const expected = Buffer.from(hmacSha1Signature(signatureBaseString(request), consumerSecret, tokenSecret));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
